import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { AppError } from "./errors.ts";
import { validate } from "./validate.ts";

const itemInput = z.object({ name: z.string().min(1), quantity: z.number().int().positive() });

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp({
    env: { OPSBOX_MAX_BODY_BYTES: "1024" },
    extend: (app) => {
      app.post("/api/v1/test-items", validate("json", itemInput), (c) => c.json(c.req.valid("json"), 201));
      app.get("/api/v1/test-crash", () => {
        throw new Error("database password is hunter2 at /srv/secret.ts:12");
      });
      app.get("/api/v1/test-conflict", () => {
        throw new AppError("conflict", "Already set up.");
      });
      app.get("/test-crash-page", () => {
        throw new Error("boom in a console page");
      });
    },
  });
});
afterAll(() => box.close());

type ErrorBody = { error: { code: string; message: string; requestId: string; details?: unknown[] } };

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  expect(response.headers.get("Content-Type")).toStartWith("application/json");
  const body = (await response.json()) as ErrorBody;
  expect(body.error.requestId).toBe(response.headers.get("X-Request-Id") ?? "missing");
  return body.error;
}

describe("request ids", () => {
  test("every response carries a generated X-Request-Id", async () => {
    const a = await box.fetch("/healthz");
    const b = await box.fetch("/healthz");
    expect(a.headers.get("X-Request-Id")).toMatch(/^[\w-]{20,}$/);
    expect(a.headers.get("X-Request-Id")).not.toBe(b.headers.get("X-Request-Id"));
  });

  test("a well-formed incoming id is echoed", async () => {
    const response = await box.fetch("/healthz", { headers: { "X-Request-Id": "caddy-abc-123" } });
    expect(response.headers.get("X-Request-Id")).toBe("caddy-abc-123");
  });

  test("a malformed or oversized incoming id is replaced", async () => {
    for (const bad of ["has space", "<script>", "x".repeat(200)]) {
      const response = await box.fetch("/healthz", { headers: { "X-Request-Id": bad } });
      expect(response.headers.get("X-Request-Id")).not.toBe(bad);
      expect(response.headers.get("X-Request-Id")).toMatch(/^[\w-]+$/);
    }
  });
});

describe("request log", () => {
  test("writes one JSON line per request with method, route, status, duration and request id", async () => {
    const response = await box.fetch("/setup?token=very-secret-token", {
      headers: { Cookie: "opsbox_session=cookie-secret.value" },
    });
    const id = response.headers.get("X-Request-Id");
    const lines = box.logs.filter((line) => line.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: "request", method: "GET", route: "/setup", status: 200, level: "info" });
    expect(typeof lines[0]?.durationMs).toBe("number");
  });

  test("never logs query strings, cookies or API keys", async () => {
    await box.fetch("/setup?token=very-secret-token", { headers: { Cookie: "opsbox_session=cookie-secret.value" } });
    const refused = await box.fetch("/api/v1/me", { headers: { Authorization: "Bearer obx_keysecret_abc" } });
    expect(refused.status).toBe(401);
    const text = JSON.stringify(box.logs);
    for (const secret of ["very-secret-token", "cookie-secret", "keysecret"]) expect(text).not.toContain(secret);
  });

  test("logs the route pattern of unmatched paths as (unmatched)", async () => {
    const response = await box.fetch("/api/v1/no-such-thing");
    const line = box.logs.find((entry) => entry.requestId === response.headers.get("X-Request-Id"));
    expect(line).toMatchObject({ route: "(unmatched)", status: 404 });
  });
});

describe("API errors", () => {
  test("unknown path → 404 not_found in the standard shape", async () => {
    const response = await box.fetch("/api/v1/nothing-here");
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toMatchObject({
      code: "not_found",
      message: "No such endpoint: GET /api/v1/nothing-here",
    });
  });

  test("malformed JSON → 400 bad_request", async () => {
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"name": "bolt",',
    });
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toMatchObject({
      code: "bad_request",
      message: "The request body is not valid JSON.",
    });
  });

  test("schema failure → 422 validation_failed with one detail per field", async () => {
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "", quantity: 1.5 }),
    });
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe("validation_failed");
    expect(error.details).toEqual([
      expect.objectContaining({ path: "name" }),
      expect.objectContaining({ path: "quantity" }),
    ]);
  });

  test("a valid body passes validation", async () => {
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "bolt", quantity: 3 }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: "bolt", quantity: 3 });
  });

  test("a body that is not JSON → 415 unsupported_media_type", async () => {
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "name=bolt",
    });
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe("unsupported_media_type");
  });

  test("oversized body with a declared length → 413 payload_too_large", async () => {
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(5000), quantity: 1 }),
    });
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toMatchObject({ code: "payload_too_large" });
  });

  test("oversized streamed body without a length → 413 payload_too_large", async () => {
    const chunk = new TextEncoder().encode(`{"name": "${"y".repeat(600)}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await box.fetch("/api/v1/test-items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(response.status).toBe(413);
  });

  test("an AppError keeps its status and message", async () => {
    const response = await box.fetch("/api/v1/test-conflict");
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ code: "conflict", message: "Already set up." });
  });

  test("an unexpected error → 500 internal with no stack or detail, logged in full", async () => {
    const response = await box.fetch("/api/v1/test-crash");
    expect(response.status).toBe(500);
    const text = await response.clone().text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(".ts:");
    expect(await errorOf(response)).toMatchObject({ code: "internal" });
    const logged = box.logs.find((line) => line.requestId === response.headers.get("X-Request-Id") && line.err);
    expect(JSON.stringify(logged)).toContain("stack");
  });
});

describe("console errors", () => {
  test("an unknown page answers an HTML 404 page", async () => {
    const response = await box.fetch("/no/such/page");
    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toStartWith("text/html");
    const html = await response.text();
    expect(html).toStartWith("<!doctype html>");
    expect(html).toContain("Page not found");
    expect(html).toContain(response.headers.get("X-Request-Id") ?? "missing");
  });

  test("htmx requests get the error as a fragment that can be swapped", async () => {
    const response = await box.fetch("/no/such/page", { headers: { "HX-Request": "true" } });
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toStartWith('<article class="error-page"');
  });

  test("a crash in a console page shows a friendly 500 page without the error text", async () => {
    const response = await box.fetch("/test-crash-page");
    expect(response.status).toBe(500);
    const html = await response.text();
    expect(html).toContain("Something went wrong on our side");
    expect(html).not.toContain("boom");
  });
});

describe("security headers", () => {
  test("pages carry a strict CSP and the other protective headers", async () => {
    const response = await box.fetch("/setup");
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
  });

  test("plain-http boxes send no HSTS header", async () => {
    const response = await box.fetch("/healthz");
    expect(response.headers.get("Strict-Transport-Security")).toBeNull();
  });

  test("API errors carry the same headers", async () => {
    const response = await box.fetch("/api/v1/nothing-here");
    expect(response.headers.get("Content-Security-Policy")).toContain("default-src 'self'");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});

describe("static files", () => {
  test("htmx and the stylesheets are served from static/, never a CDN", async () => {
    for (const path of ["/static/vendor/htmx.min.js", "/static/vendor/pico.min.css", "/static/app.css"]) {
      const response = await box.fetch(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toContain("max-age");
    }
    const page = await (await box.fetch("/setup")).text();
    expect(page).toMatch(/src="\/static\/vendor\/htmx\.min\.[0-9a-f]{8}\.js"/);
    expect(page).not.toMatch(/src="https?:/);
  });

  test("paths escaping static/ are refused", async () => {
    const response = await box.fetch("/static/..%2f..%2fpackage.json");
    expect(response.status).toBe(404);
  });
});
