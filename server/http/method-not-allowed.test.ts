import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";

let box: TestApp;
beforeAll(async () => {
  box = await startInProcessApp();
});
afterAll(() => box.close());

type ErrorBody = { error: { code: string; message: string; requestId: string } };

async function apiError(response: Response): Promise<ErrorBody["error"]> {
  expect(response.headers.get("Content-Type")).toStartWith("application/json");
  const body = (await response.json()) as ErrorBody;
  expect(body.error.requestId).toBe(response.headers.get("X-Request-Id") ?? "missing");
  return body.error;
}

describe("unsupported methods on existing API paths", () => {
  const cases: [method: string, path: string, allow: string][] = [
    ["DELETE", "/api/v1/openapi.json", "GET, HEAD, OPTIONS"],
    ["PUT", "/api/v1/tasks", "GET, HEAD, POST, OPTIONS"],
    ["POST", "/api/v1/tasks/tsk_unknown", "GET, HEAD, PATCH, DELETE, OPTIONS"],
    ["GET", "/api/v1/auth/login", "POST, OPTIONS"],
  ];
  for (const [method, path, allow] of cases) {
    test(`${method} ${path} → 405 method_not_allowed with Allow: ${allow}`, async () => {
      const response = await box.fetch(path, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get("Allow")).toBe(allow);
      const error = await apiError(response);
      expect(error.code).toBe("method_not_allowed");
      expect(error.message).toBe(`${method} is not allowed on ${path}; use ${allow}.`);
    });
  }

  test("a request with a JSON body gets 405 too, not 404", async () => {
    const response = await box.fetch("/api/v1/tasks", {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ title: "x" }),
    });
    expect(response.status).toBe(405);
    expect((await apiError(response)).code).toBe("method_not_allowed");
  });
});

describe("unknown paths", () => {
  test("stay 404 whatever the method", async () => {
    for (const method of ["GET", "POST", "DELETE", "OPTIONS"]) {
      const response = await box.fetch("/api/v1/no-such-thing", { method });
      expect(response.status).toBe(404);
      expect(response.headers.get("Allow")).toBeNull();
      expect((await apiError(response)).code).toBe("not_found");
    }
    const page = await box.fetch("/no-such-page", { method: "DELETE" });
    expect(page.status).toBe(404);
    expect(page.headers.get("Allow")).toBeNull();
  });
});

describe("console paths", () => {
  test("an unsupported method answers a 405 page with Allow", async () => {
    const response = await box.fetch("/sign-in", { method: "DELETE" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD, POST, OPTIONS");
    expect(response.headers.get("Content-Type")).toStartWith("text/html");
    expect(await response.text()).toContain("DELETE is not allowed on /sign-in");
  });

  test("a path that only a parameter route matches lists that route's methods", async () => {
    // /tasks/board is a page of its own, and POST /tasks/:id edits the task "board" (a 404 then).
    const response = await box.fetch("/tasks/board", { method: "PUT" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD, POST, OPTIONS");
  });
});

describe("HEAD and OPTIONS", () => {
  test("HEAD works wherever GET does, without a body", async () => {
    const response = await box.fetch("/api/v1/openapi.json", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  test("HEAD on a path without GET is 405, with the headers a GET-less path has", async () => {
    const response = await box.fetch("/api/v1/auth/login", { method: "HEAD" });
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST, OPTIONS");
    expect(await response.text()).toBe("");
  });

  test("OPTIONS on an existing path answers 204 with Allow and no body", async () => {
    for (const [path, allow] of [
      ["/api/v1/tasks", "GET, HEAD, POST, OPTIONS"],
      ["/sign-in", "GET, HEAD, POST, OPTIONS"],
    ]) {
      const response = await box.fetch(path ?? "", { method: "OPTIONS" });
      expect(response.status).toBe(204);
      expect(response.headers.get("Allow")).toBe(allow ?? "");
      expect(response.headers.get("X-Request-Id")).toBeTruthy();
      expect(await response.text()).toBe("");
    }
  });
});
