// Writes brotli and gzip copies of every file under static/ into static/.precompressed/, named
// by the SHA-256 of the source (`<hash>.br`, `<hash>.gz`), and deletes copies of sources that
// are gone. Runs after `npm ci` (from vendor-static.mjs) and by hand:
//   node scripts/precompress-static.mjs [folder, static/ by default]
// The server (server/http/static-precompressed.ts) reads the copies by the same names, so a copy
// can never belong to an older version of a file; it compresses whatever has no copy itself.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const CACHE = ".precompressed";

/** Every plain file under `dir`, dot files and folders left out (as the server's manifest does). */
function* sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (entry.isFile()) yield path;
  }
}

const compressors = {
  br: (body) =>
    brotliCompressSync(body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
    }),
  gz: (body) => gzipSync(body, { level: 9 }),
};

/** Makes the missing copies under `staticDir`; answers how many were made, kept and deleted. */
export function precompressStatic(staticDir) {
  const cache = join(staticDir, CACHE);
  mkdirSync(cache, { recursive: true });
  const wanted = new Set();
  let made = 0;
  for (const file of sources(staticDir)) {
    const body = readFileSync(file);
    const hash = createHash("sha256").update(body).digest("hex");
    for (const [extension, compress] of Object.entries(compressors)) {
      const name = `${hash}.${extension}`;
      wanted.add(name);
      const target = join(cache, name);
      if (existsSync(target)) continue;
      const partial = `${target}.${process.pid}.partial`;
      writeFileSync(partial, compress(body));
      renameSync(partial, target);
      made += 1;
    }
  }
  let deleted = 0;
  for (const name of readdirSync(cache)) {
    if (wanted.has(name)) continue;
    rmSync(join(cache, name), { force: true });
    deleted += 1;
  }
  return { made, kept: wanted.size - made, deleted };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const staticDir = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "static");
  const started = performance.now();
  const { made, kept, deleted } = precompressStatic(staticDir);
  const ms = Math.round(performance.now() - started);
  console.log(`${join(staticDir, CACHE)}: ${made} made, ${kept} kept, ${deleted} deleted in ${ms} ms`);
}
