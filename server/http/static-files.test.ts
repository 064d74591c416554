import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { makeTempDir, startTestApp, type TestApp } from "../testing/harness.ts";
import { assetUrl, readStaticManifest, STATIC_DIR, type StaticManifest } from "../tools/static-manifest.ts";
import { staticFiles } from "./static-files.ts";
import { precompressed } from "./static-precompressed.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";
const SCRIPT = join(import.meta.dir, "..", "..", "scripts", "precompress-static.mjs");
const CSS = `body { color: #123456; }\n${".card { margin: 0 auto; padding: 1rem 2rem; }\n".repeat(200)}`;

let box: TestApp;
const dirs: string[] = [];
beforeAll(async () => {
  box = await startTestApp();
});
afterAll(async () => {
  await box.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A static folder of its own, with app.css and the copies the `npm ci` script makes. */
function fixtureDir(css = CSS): string {
  const dir = makeTempDir("opsbox-static-");
  dirs.push(dir);
  writeFileSync(join(dir, "app.css"), css);
  mkdirSync(join(dir, "vendor"));
  writeFileSync(join(dir, "vendor", "lib.min.js"), "console.log('lib');\n".repeat(50));
  precompressScript(dir);
  return dir;
}

function precompressScript(dir: string): void {
  const run = Bun.spawnSync(["node", SCRIPT, dir]);
  if (run.exitCode !== 0) throw new Error(`precompress-static.mjs failed: ${run.stderr.toString()}`);
}

/** The static handler alone over a manifest, behind a real socket. */
function serve(manifest: StaticManifest): { url: string; stop: () => void } {
  const app = new Hono().get("/static/*", staticFiles(manifest));
  const server = Bun.serve({ port: 0, hostname: "127.0.0.1", fetch: app.fetch });
  return { url: `http://127.0.0.1:${server.port}`, stop: () => server.stop(true) };
}

/** fetch that leaves the body as it came over the wire. */
function raw(base: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(new URL(path, base), { headers, decompress: false });
}

function linkedStatic(html: string): string[] {
  return [...html.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1] ?? "");
}

describe("fingerprinted URLs", () => {
  test("the layout links fingerprinted URLs, which answer a year's immutable cache and the file", async () => {
    const html = await (await box.fetch("/setup", { redirect: "follow" })).text();
    const links = linkedStatic(html);
    expect(links).toContain(assetUrl("vendor/htmx.min.js"));
    expect(links).toContain(assetUrl("app.css"));
    expect(links.length).toBeGreaterThanOrEqual(4);
    for (const url of links) {
      expect(url).toMatch(/^\/static\/[a-z/.-]+\.[0-9a-f]{8}\.(js|css|svg)$/);
      const response = await box.fetch(url, { headers: { "Accept-Encoding": "identity" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe(IMMUTABLE);
      const plain = url.replace(/\.[0-9a-f]{8}(\.\w+)$/, "$1").slice("/static/".length);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(
        new Uint8Array(readFileSync(join(STATIC_DIR, plain))),
      );
    }
  });

  test("the plain URL, which old pages link, still answers, with a short cache", async () => {
    const response = await box.fetch("/static/vendor/htmx.min.js?v=0.1.0");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(response.headers.get("Content-Type")).toBe("text/javascript; charset=utf-8");
  });

  test("an unknown fingerprint is a 404", async () => {
    expect((await box.fetch("/static/app.00000000.css")).status).toBe(404);
    expect((await box.fetch("/static/vendor/htmx.min.0123abcd.js")).status).toBe(404);
  });

  test("a changed file gets a new URL; the old one is a 404 and no stale copy is sent", async () => {
    const dir = fixtureDir();
    const before = readStaticManifest(dir);
    writeFileSync(join(dir, "app.css"), `${CSS}/* changed */\n`);
    const after = readStaticManifest(dir);
    const oldUrl = assetUrl("app.css", before);
    const newUrl = assetUrl("app.css", after);
    expect(newUrl).not.toBe(oldUrl);
    // The copies on disk were made from the old content; the server must not send them.
    const store = precompressed(after);
    expect(store.made).toBe(2);
    const server = serve(after);
    try {
      expect((await raw(server.url, oldUrl)).status).toBe(404);
      await store.ready;
      const response = await raw(server.url, newUrl, { "Accept-Encoding": "br" });
      expect(response.headers.get("Content-Encoding")).toBe("br");
      const body = brotliDecompressSync(new Uint8Array(await response.arrayBuffer())).toString();
      expect(body).toEndWith("/* changed */\n");
    } finally {
      server.stop();
    }
    // What the server made is kept for the next start.
    expect(precompressed(readStaticManifest(dir)).made).toBe(0);
  });
});

describe("compression", () => {
  let dir: string;
  let manifest: StaticManifest;
  let server: { url: string; stop: () => void };
  beforeAll(() => {
    dir = fixtureDir();
    manifest = readStaticManifest(dir);
    server = serve(manifest);
  });
  afterAll(() => server.stop());

  test("the server finds the copies the npm ci script made", () => {
    expect(precompressed(manifest).made).toBe(0);
  });

  test("brotli, gzip or identity as the client accepts, with Vary and an ETag for each", async () => {
    const url = assetUrl("app.css", manifest);
    const cases = [
      { accept: "gzip, deflate, br, zstd", encoding: "br", decode: brotliDecompressSync },
      { accept: "br;q=0, gzip", encoding: "gzip", decode: gunzipSync },
      { accept: "gzip;q=0.5, br;q=0.2", encoding: "gzip", decode: gunzipSync },
      { accept: "", encoding: null, decode: (bytes: Uint8Array) => Buffer.from(bytes) },
      { accept: "identity", encoding: null, decode: (bytes: Uint8Array) => Buffer.from(bytes) },
      { accept: "deflate, zstd", encoding: null, decode: (bytes: Uint8Array) => Buffer.from(bytes) },
    ];
    const etags = new Set<string>();
    for (const { accept, encoding, decode } of cases) {
      const response = await raw(server.url, url, accept ? { "Accept-Encoding": accept } : {});
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Encoding")).toBe(encoding);
      expect(response.headers.get("Vary")).toBe("Accept-Encoding");
      expect(response.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
      expect(response.headers.get("Cache-Control")).toBe(IMMUTABLE);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (encoding) expect(bytes.byteLength).toBeLessThan(CSS.length / 5);
      expect(decode(bytes).toString()).toBe(CSS);
      etags.add(response.headers.get("ETag") ?? "");
    }
    expect(etags.size).toBe(3);
  });

  test("If-None-Match with the coding's ETag answers 304; another coding's ETag does not", async () => {
    const url = assetUrl("app.css", manifest);
    const first = await raw(server.url, url, { "Accept-Encoding": "br" });
    const etag = first.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{16}-br"$/);
    const again = await raw(server.url, url, { "Accept-Encoding": "br", "If-None-Match": `W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.headers.get("ETag")).toBe(etag);
    expect(again.headers.get("Cache-Control")).toBe(IMMUTABLE);
    const gzip = await raw(server.url, url, { "Accept-Encoding": "gzip", "If-None-Match": etag });
    expect(gzip.status).toBe(200);
    const plain = await raw(server.url, "/static/app.css", { "If-None-Match": `"x", ${gzip.headers.get("ETag")}` });
    expect(plain.status).toBe(200);
  });

  test("a copy no smaller than its file is not sent", async () => {
    writeFileSync(join(dir, "tiny.txt"), "a");
    const tiny = readStaticManifest(dir);
    await precompressed(tiny).ready;
    const own = serve(tiny);
    try {
      const response = await raw(own.url, "/static/tiny.txt", { "Accept-Encoding": "br, gzip" });
      expect(response.headers.get("Content-Encoding")).toBeNull();
      expect(await response.text()).toBe("a");
    } finally {
      own.stop();
    }
  });
});

describe("what is not served", () => {
  /** A request line exactly as written, which fetch would have normalised. */
  async function rawStatus(path: string): Promise<number> {
    const { hostname, port } = new URL(box.url);
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    await new Promise((resolve) => socket.on("close", resolve));
    return Number(/^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString())?.[1]);
  }

  test("paths escaping static/ are refused", async () => {
    for (const path of [
      "/static/../package.json",
      "/static/vendor/../../package.json",
      "/static/..%2f..%2fpackage.json",
      "/static/%2e%2e/package.json",
      "/static/%2e%2e%2fpackage.json",
      "/static//etc/passwd",
      "/static/..\\package.json",
    ]) {
      expect(`${path} ${await rawStatus(path)}`).toBe(`${path} 404`);
    }
  });

  test("dot files, the copies' folder and links out of static/ are not served", async () => {
    const dir = fixtureDir();
    writeFileSync(join(dir, ".env"), "SECRET=1");
    symlinkSync(join(import.meta.dir, "..", "..", "package.json"), join(dir, "package.json"));
    const manifest = readStaticManifest(dir);
    expect([...manifest.assets.keys()].sort()).toEqual(["app.css", "vendor/lib.min.js"]);
    const server = serve(manifest);
    try {
      const hash = manifest.assets.get("app.css")?.hash ?? "";
      for (const path of ["/static/.env", `/static/.precompressed/${hash}.br`, "/static/package.json"]) {
        expect((await raw(server.url, path)).status).toBe(404);
      }
    } finally {
      server.stop();
    }
  });

  test("HEAD answers the headers without the body", async () => {
    const response = await box.fetch(assetUrl("app.css"), { method: "HEAD", headers: { "Accept-Encoding": "br" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe(IMMUTABLE);
    expect(await response.text()).toBe("");
  });
});
