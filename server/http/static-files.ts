import type { MiddlewareHandler } from "hono";
import { getMimeType } from "hono/utils/mime";
import { type StaticManifest, staticManifest } from "../tools/static-manifest.ts";
import { etagMatches } from "./etag.ts";
import { chooseEncoding, type Encoding } from "./static-encoding.ts";
import { precompressed } from "./static-precompressed.ts";

/** A fingerprinted URL names one content forever. */
const IMMUTABLE = "public, max-age=31536000, immutable";
/** Plain URLs (old pages, bookmarks) keep working, kept briefly since a release changes what they name. */
const SHORT = "public, max-age=300";

const CODINGS = ["br", "gzip"] as const;
const ETAG_SUFFIX: Record<Encoding, string> = { br: "-br", gzip: "-gz", identity: "" };

/**
 * Serves static/ under /static from memory: `/static/app.3f2a9c1b.css` (the URLs the views link,
 * from the manifest) for a year, `/static/app.css` for five minutes, either as brotli or gzip
 * when the client accepts it, with an ETag per coding. Paths that are not in the manifest,
 * an old fingerprint among them, fall through to the 404.
 */
export function staticFiles(manifest: StaticManifest = staticManifest()): MiddlewareHandler {
  const store = precompressed(manifest);
  return async (c, next) => {
    const path = c.req.path.slice("/static/".length);
    const fingerprinted = manifest.fingerprinted.get(path);
    const asset = fingerprinted ?? manifest.assets.get(path);
    if (!asset) return next();
    const copies = store.variants(asset.hash);
    const available = CODINGS.filter((coding) => copies[coding] !== undefined);
    const encoding = chooseEncoding(c.req.header("Accept-Encoding"), available);
    const body = (encoding === "identity" ? undefined : copies[encoding]) ?? asset.body;
    const etag = `"${asset.hash.slice(0, 16)}${ETAG_SUFFIX[encoding]}"`;
    const headers: Record<string, string> = {
      "Cache-Control": fingerprinted ? IMMUTABLE : SHORT,
      ETag: etag,
      Vary: "Accept-Encoding",
    };
    if (etagMatches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
    headers["Content-Type"] = getMimeType(asset.path) ?? "application/octet-stream";
    if (encoding !== "identity") headers["Content-Encoding"] = encoding;
    return c.body(body, 200, headers);
  };
}
