import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { assetUrl } from "../tools/static-manifest.ts";
import { startTestApp, type TestApp } from "./harness.ts";
import { startInProcessApp } from "./in-process.ts";

/**
 * startInProcessApp() stands in for the served box in most tests, so it must answer as the
 * served box does: the same requests to both, the same answers (but for each request's id).
 */

let served: TestApp;
let inProcess: TestApp;
beforeAll(async () => {
  [served, inProcess] = await Promise.all([startTestApp(), startInProcessApp()]);
});
afterAll(() => Promise.all([served.close(), inProcess.close()]));

const SOCKET_ONLY = new Set(["date", "content-length", "transfer-encoding", "x-request-id"]);

type Seen = { status: number; headers: Record<string, string>; body: string };

async function seen(box: TestApp, path: string, init: () => RequestInit): Promise<Seen> {
  const response = await box.fetch(path, init());
  const headers: Record<string, string> = {};
  // Date and the response's framing are the socket server's, not the app's (no test reads them);
  // the request id is new for every request.
  for (const [name, value] of response.headers) if (!SOCKET_ONLY.has(name)) headers[name] = value;
  const requestId = response.headers.get("X-Request-Id") ?? "";
  const body = (await response.text()).replaceAll(requestId, "<request id>");
  return { status: response.status, headers, body };
}

function stream(text: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.close();
    },
  });
}

const json = { "Content-Type": "application/json" };
const cases: [string, string, () => RequestInit][] = [
  ["liveness", "/healthz", () => ({})],
  ["an API call without a session: 401", "/api/v1/tasks", () => ({})],
  ["a text body to the API: 415", "/api/v1/auth/login", () => ({ method: "POST", body: "email=a" })],
  [
    "a JSON body with a NUL byte: 422",
    "/api/v1/auth/login",
    () => ({ method: "POST", headers: json, body: JSON.stringify({ email: "a\u0000@example.com", password: "x" }) }),
  ],
  [
    "a streamed JSON body with a NUL byte: 422",
    "/api/v1/auth/login",
    () => ({ method: "POST", headers: json, body: stream('{"email":"a\\u0000@example.com","password":"x"}') }),
  ],
  [
    "a form from another site: 403",
    "/sign-in",
    () => ({
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: new URLSearchParams({ email: "a@example.com", password: "x" }),
    }),
  ],
  ["HEAD", "/api/v1/openapi.json", () => ({ method: "HEAD" })],
  ["OPTIONS", "/api/v1/tasks", () => ({ method: "OPTIONS" })],
  ["an unknown page: 404", "/no-such-page", () => ({})],
  ["a static file sent brotli-compressed", assetUrl("app.css"), () => ({ headers: { "Accept-Encoding": "br" } })],
  ["a static file sent gzip-compressed", assetUrl("app.css"), () => ({ headers: { "Accept-Encoding": "gzip" } })],
];

describe("a box in process answers as the served box does", () => {
  for (const [name, path, init] of cases) {
    test(name, async () => {
      const [overSocket, inMemory] = await Promise.all([seen(served, path, init), seen(inProcess, path, init)]);
      expect(inMemory).toEqual(overSocket);
    });
  }

  test("the compressed static file arrives decoded, as fetch() hands it over", async () => {
    const response = await inProcess.fetch(assetUrl("app.css"), { headers: { "Accept-Encoding": "br" } });
    expect(response.headers.get("Content-Encoding")).toBe("br");
    expect(await response.text()).toContain("{");
  });

  test("nothing listens at its url: a test cannot reach a socket by mistake", async () => {
    expect(fetch(new URL("/healthz", inProcess.url))).rejects.toThrow();
  });
});
