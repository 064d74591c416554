import { join } from "node:path";
import { serveStatic } from "hono/bun";

export const STATIC_DIR = join(import.meta.dir, "..", "..", "static");

/** Serves static/ under /static; URLs carry a version query, so browsers may keep files a day. */
export function staticFiles() {
  return serveStatic({
    root: STATIC_DIR,
    rewriteRequestPath: (path) => path.replace(/^\/static/, ""),
    onFound: (_path, c) => {
      c.header("Cache-Control", "public, max-age=86400");
    },
  });
}
