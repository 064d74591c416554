import { brotliCompressSync, constants } from "node:zlib";
import type { MiddlewareHandler } from "hono";
import { chooseEncoding } from "./static-encoding.ts";

/** Below this a compressed body saves less than its headers and the work cost. */
export const MIN_COMPRESS_BYTES = 1024;
/** Above this a body is sent as it is: compressing it in one go would hold up every other request. */
const MAX_COMPRESS_BYTES = 8 * 1024 * 1024;
// Brotli 4 and gzip 6: the levels servers use for bodies made per request (11 costs ten times more).
const BROTLI_QUALITY = 4;
const GZIP_LEVEL = 6;
/**
 * Brotli only from this size on: measured on a 3.5 KB console page it cost 55-65 µs against
 * gzip's 25 µs for 8% fewer bytes, while on the 290 KB OpenAPI document both take about 1.1 ms.
 */
const BROTLI_FROM_BYTES = 64 * 1024;

const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|javascript)\b|image\/svg\+xml\b)/i;
const EVENT_STREAM = /^text\/event-stream\b/i;
const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;

/** Whether a response of this type and headers may be compressed here at all. */
function mayCompress(method: string, response: Response): boolean {
  const headers = response.headers;
  const type = headers.get("Content-Type") ?? "";
  if (method === "HEAD" || !response.body || response.status === 204 || response.status === 206) return false;
  // Event streams must reach the client message by message; a compressor would hold them back.
  if (!COMPRESSIBLE.test(type) || EVENT_STREAM.test(type)) return false;
  // Downloads are streamed as stored (CSV exports, uploaded files); precompressed bodies are encoded.
  if (headers.has("Content-Encoding") || headers.get("Content-Disposition")?.startsWith("attachment")) return false;
  if (NO_TRANSFORM.test(headers.get("Cache-Control") ?? "")) return false;
  const declared = headers.get("Content-Length");
  return declared === null || (Number(declared) >= MIN_COMPRESS_BYTES && Number(declared) <= MAX_COMPRESS_BYTES);
}

/**
 * Compresses text answers (pages, partials, JSON) of 1 KiB or more with gzip, or brotli for large
 * ones or a client that takes only brotli, as Accept-Encoding allows, for a box served without Caddy (behind Caddy it does the same
 * work Caddy would). Static files are precompressed and answered before this runs. A body is
 * compressed whole, so a streamed answer of a compressible type must say `Cache-Control:
 * no-transform` (event streams and downloads are left alone anyway). A compressed answer's ETag
 * becomes weak (the bytes differ from the identity answer's), which If-None-Match still matches.
 */
export function compressResponses(): MiddlewareHandler {
  return async function compress(c, next) {
    await next();
    if (!mayCompress(c.req.method, c.res)) return;
    addVaryAcceptEncoding(c.res.headers);
    const accepted = c.req.header("Accept-Encoding");
    const gzip = chooseEncoding(accepted, ["gzip"]) === "gzip";
    const br = chooseEncoding(accepted, ["br"]) === "br";
    if (!gzip && !br) return;
    const body = new Uint8Array(await c.res.arrayBuffer());
    if (body.byteLength < MIN_COMPRESS_BYTES || body.byteLength > MAX_COMPRESS_BYTES) {
      c.res = new Response(body, c.res);
      return;
    }
    const encoding = br && (!gzip || body.byteLength >= BROTLI_FROM_BYTES) ? "br" : "gzip";
    const compressed =
      encoding === "br"
        ? brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
            },
          })
        : Bun.gzipSync(body, { level: GZIP_LEVEL });
    // Hono copies the old response's headers onto the new one, so they are changed after.
    c.res = new Response(compressed, c.res);
    const headers = c.res.headers;
    headers.delete("Content-Length");
    headers.set("Content-Encoding", encoding);
    const etag = headers.get("ETag");
    if (etag?.startsWith('"')) headers.set("ETag", `W/${etag}`);
  };
}

function addVaryAcceptEncoding(headers: Headers): void {
  const vary = headers.get("Vary");
  if (vary === null) headers.set("Vary", "Accept-Encoding");
  else if (vary !== "*" && !/(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))
    headers.set("Vary", `${vary}, Accept-Encoding`);
}
