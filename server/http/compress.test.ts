import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { brotliDecompressSync } from "node:zlib";
import { Hono } from "hono";
import { createApiKey } from "../auth/keys/api-keys.ts";
import { permissions } from "../auth/roles/permissions.ts";
import { openSse } from "../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { setUpBox } from "../testing/identity.ts";
import { compressResponses, MIN_COMPRESS_BYTES } from "./compress.ts";
import { etagOf, jsonWithEtag } from "./etag.ts";

const rows = (count: number) => Array.from({ length: count }, (_, i) => `<li>Task ${i} of the board</li>`).join("");
const page = `<!doctype html><ul>${rows(300)}</ul>`;
const largePage = `<!doctype html><ul>${rows(3000)}</ul>`;
const record = { id: "prj_1", name: "Relaunch", notes: "n".repeat(4000) };

const app = new Hono()
  .use(compressResponses())
  .get("/page", (c) => c.html(page))
  .get("/large", (c) => c.html(largePage))
  .get("/small", (c) => c.json({ ok: true }))
  .get("/record", (c) => jsonWithEtag(c, etagOf(record), record))
  .get("/download", (c) =>
    c.body(page, 200, { "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="a.csv"' }),
  )
  .get("/png", (c) => c.body(new Uint8Array(4096), 200, { "Content-Type": "image/png" }))
  .get("/events", () => {
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`data: ${"x".repeat(2000)}\n\n`));
      },
    });
    return new Response(body, { headers: { "Content-Type": "text/event-stream" } });
  });

const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe("compressed answers, unit", () => {
  test("a page is gzip-compressed and decodes to the same text", async () => {
    const gzip = await get("/page", { "Accept-Encoding": "gzip, deflate, br" });
    expect(gzip.headers.get("Content-Encoding")).toBe("gzip");
    expect(gzip.headers.get("Vary")).toBe("Accept-Encoding");
    expect(gzip.headers.get("Content-Type")).toStartWith("text/html");
    const bytes = new Uint8Array(await gzip.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(page.length / 5);
    expect(new TextDecoder().decode(Bun.gunzipSync(bytes))).toBe(page);
  });

  test("brotli for a page of 64 KiB or more, or for a client that takes only brotli", async () => {
    const large = await get("/large", { "Accept-Encoding": "gzip, deflate, br" });
    expect(large.headers.get("Content-Encoding")).toBe("br");
    expect(brotliDecompressSync(new Uint8Array(await large.arrayBuffer())).toString("utf8")).toBe(largePage);
    const brOnly = await get("/page", { "Accept-Encoding": "br, gzip;q=0" });
    expect(brOnly.headers.get("Content-Encoding")).toBe("br");
    expect(brotliDecompressSync(new Uint8Array(await brOnly.arrayBuffer())).toString("utf8")).toBe(page);
  });

  test("without Accept-Encoding the page is sent as it is, still with Vary", async () => {
    const plain = await get("/page");
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(plain.headers.get("Vary")).toBe("Accept-Encoding");
    expect(await plain.text()).toBe(page);
  });

  test("bodies under 1 KiB, downloads, binary types and HEAD are not compressed", async () => {
    const accept = { "Accept-Encoding": "br, gzip" };
    const small = await get("/small", accept);
    expect(small.headers.get("Content-Encoding")).toBeNull();
    expect(await small.json()).toEqual({ ok: true });
    expect(JSON.stringify({ ok: true }).length).toBeLessThan(MIN_COMPRESS_BYTES);
    for (const path of ["/download", "/png"]) {
      expect((await get(path, accept)).headers.get("Content-Encoding")).toBeNull();
    }
    const head = await app.request("/page", { method: "HEAD", headers: accept });
    expect(head.headers.get("Content-Encoding")).toBeNull();
  });

  test("an event stream is never compressed, even when large and gzip is accepted", async () => {
    const response = await get("/events", { "Accept-Encoding": "gzip, br" });
    expect(response.headers.get("Content-Encoding")).toBeNull();
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toStartWith("data: xxx");
    await reader?.cancel();
  });

  test("a compressed resource's ETag is weak, and If-None-Match with it answers 304", async () => {
    const first = await get("/record", { "Accept-Encoding": "gzip" });
    expect(first.headers.get("Content-Encoding")).toBe("gzip");
    const etag = first.headers.get("ETag") ?? "";
    expect(etag).toBe(`W/${etagOf(record)}`);
    const again = await get("/record", { "Accept-Encoding": "gzip", "If-None-Match": etag });
    expect(again.status).toBe(304);
    // A client that was sent the identity answer revalidates with the strong form.
    const identity = await get("/record", { "If-None-Match": etagOf(record) });
    expect(identity.status).toBe(304);
  });
});

describe("compressed answers, the real app", () => {
  let box: TestApp;
  let apiKey = "";
  beforeAll(async () => {
    box = await startTestApp();
    const admin = await setUpBox(box);
    apiKey = createApiKey(
      box.deps.db,
      { orgId: admin.orgId, userId: admin.adminId, name: "compress", scopes: [...permissions], expiresAt: null },
      new Set(permissions),
    ).key;
  });
  afterAll(() => box.close());

  test("the OpenAPI document comes brotli-compressed and revalidates with its weak ETag", async () => {
    const response = await box.fetch("/api/v1/openapi.json", {
      headers: { "Accept-Encoding": "br" },
      decompress: false,
    } as BunFetchRequestInit);
    expect(response.headers.get("Content-Encoding")).toBe("br");
    const document = JSON.parse(brotliDecompressSync(new Uint8Array(await response.arrayBuffer())).toString("utf8"));
    expect(document.openapi).toStartWith("3.1");
    const etag = response.headers.get("ETag") ?? "";
    expect(etag).toStartWith('W/"');
    const again = await box.fetch("/api/v1/openapi.json", { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  test("static files keep their precompressed copy: not compressed twice", async () => {
    const html = await (await box.fetch("/sign-in")).text();
    const css = /href="(\/static\/[^"]+\.css)"/.exec(html)?.[1] ?? "";
    expect(css).not.toBe("");
    const response = await box.fetch(css, {
      headers: { "Accept-Encoding": "br" },
      decompress: false,
    } as BunFetchRequestInit);
    expect(response.headers.get("Content-Encoding")).toBe("br");
    expect(response.headers.get("ETag")).toMatch(/^"[^"]+-br"$/);
    // One layer: decoding once gives the stylesheet's text.
    expect(brotliDecompressSync(new Uint8Array(await response.arrayBuffer())).toString("utf8")).toContain("{");
  });

  test("the event stream over a real socket is not compressed and delivers its events", async () => {
    const stream = await openSse(box, "/api/v1/events", {
      Authorization: `Bearer ${apiKey}`,
      "Accept-Encoding": "gzip, br",
    });
    try {
      expect(stream.response.headers.get("Content-Encoding")).toBeNull();
      for (let tries = 0; tries < 40 && !stream.comments.includes("connected"); tries++) await Bun.sleep(25);
      expect(stream.comments).toContain("connected");
    } finally {
      await stream.close();
    }
  });
});
