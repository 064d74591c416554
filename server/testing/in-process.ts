import { brotliDecompressSync, gunzipSync, inflateSync, zstdDecompressSync } from "node:zlib";
import { startTestApp, type TestApp, type TestAppOptions } from "./harness.ts";

/**
 * What Bun.serve hands the app beside each request, for a caller on this machine: the app reads
 * the peer's address from it (rate limits, the audit log, OPSBOX_TRUSTED_PROXIES, loopback-only
 * routes) and asks SSE responses for no idle timeout. Under a real server that caller is
 * 127.0.0.1 too, so X-Forwarded-For from the trusted loopback proxy means the same here.
 */
const LOOPBACK_PEER = {
  requestIP: () => ({ address: "127.0.0.1", family: "IPv4", port: 0 }),
  timeout: () => {},
};

/**
 * The request as the server would receive it from Bun's fetch() over a socket: the headers the
 * client adds (Host, Accept, Accept-Encoding, User-Agent, Connection) and the framing of the
 * body, Content-Length for a body of known size and Transfer-Encoding: chunked for a stream. A
 * Request made in memory has neither, and the body checks (415 for a non-JSON API body, control
 * characters) only read bodies that the framing says are there.
 */
async function asReceived(url: URL, init: RequestInit = {}): Promise<Request> {
  const request = new Request(url, init);
  const headers = new Headers(request.headers);
  const sent: [string, string][] = [
    ["Host", url.host],
    ["Accept", "*/*"],
    ["Accept-Encoding", "gzip, deflate, br, zstd"],
    ["Connection", "keep-alive"],
    ["User-Agent", `Bun/${Bun.version}`],
  ];
  for (const [name, value] of sent) if (!headers.has(name)) headers.set(name, value);
  if (!request.body) return new Request(request, { headers });
  if (init.body instanceof ReadableStream) {
    if (!headers.has("Content-Length")) headers.set("Transfer-Encoding", "chunked");
    return new Request(request, { headers });
  }
  const body = await request.arrayBuffer();
  headers.set("Content-Length", String(body.byteLength));
  return new Request(url, { method: request.method, headers, body, signal: request.signal });
}

const DECODERS: Record<string, (bytes: Buffer) => Buffer> = {
  gzip: gunzipSync,
  br: brotliDecompressSync,
  deflate: inflateSync,
  zstd: zstdDecompressSync,
};

/**
 * The response as Bun's fetch() hands it over: a compressed body (the precompressed static
 * files) is decoded, its headers kept as they were sent.
 */
async function asDelivered(response: Response): Promise<Response> {
  const decode = DECODERS[response.headers.get("Content-Encoding")?.trim().toLowerCase() ?? ""];
  if (!decode || !response.body) return response;
  const body = new Uint8Array(decode(Buffer.from(await response.arrayBuffer())));
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The same box as startTestApp() (real createApp, real SQLite file in a temporary directory,
 * background jobs and stop hooks), with no socket: its listener is closed as soon as it starts,
 * and `fetch` hands each request to `app.fetch` in this process, framed as it would arrive, and
 * its answer decoded as fetch() would. For tests of what a route answers; streams, browsers,
 * uploads against the server's body limit, other processes and start/stop keep startTestApp().
 * `url` still names the origin requests are made for (and a stray global fetch() to it is
 * refused, so no test reaches a socket by mistake).
 */
export async function startInProcessApp(options: TestAppOptions = {}): Promise<TestApp> {
  const box = await startTestApp(options);
  await box.server.stop(true);
  return {
    ...box,
    fetch: async (path, init) =>
      asDelivered(await box.app.fetch(await asReceived(new URL(path, box.url), init), LOOPBACK_PEER)),
  };
}

/**
 * A request to an in-process box as if from another machine: the socket peer is `address`
 * (a remote client, or a proxy that is not trusted), for routes that answer loopback callers only.
 */
export async function fetchAsPeer(box: TestApp, address: string, path: string, init?: RequestInit): Promise<Response> {
  const peer = {
    requestIP: () => ({ address, family: address.includes(":") ? "IPv6" : "IPv4", port: 40000 }),
    timeout: () => {},
  };
  return asDelivered(await box.app.fetch(await asReceived(new URL(path, box.url), init), peer));
}
