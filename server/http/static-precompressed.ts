import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { PRECOMPRESSED_DIR, type StaticManifest } from "../tools/static-manifest.ts";

/**
 * Brotli and gzip copies of the static files. scripts/precompress-static.mjs makes them at
 * `npm ci`, named by the SHA-256 of their source, so a copy can never be stale: a changed file
 * has a new hash and simply has no copy yet. Such a file is compressed once, in the background
 * (brotli at quality 11 takes about 0.7 s for all 250 KB, too long to wait for at start), and is
 * sent uncompressed until then.
 */

export type Compressed = { br?: Uint8Array<ArrayBuffer>; gzip?: Uint8Array<ArrayBuffer> };

export type PrecompressedStore = {
  /** The copies of the file with this hash that are smaller than the file itself. */
  variants: (hash: string) => Compressed;
  /** Settles once the files that had no copy at start have one (at once when all had). */
  ready: Promise<void>;
  /** How many copies had to be made at start. */
  made: number;
};

const CODINGS = [
  { coding: "br", extension: "br" },
  { coding: "gzip", extension: "gz" },
] as const;

/**
 * Same settings as scripts/precompress-static.mjs. node:zlib loads here, not at start (3 ms of
 * a cold start), since after `npm ci` every file already has its copies.
 */
async function compress(coding: "br" | "gzip", body: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const { brotliCompress, constants, gzip } = await import("node:zlib");
  if (coding === "gzip") return promisify(gzip)(body, { level: 9 });
  return promisify(brotliCompress)(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength },
  });
}

function readIfThere(file: string): Uint8Array<ArrayBuffer> | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** Keeps the copy for later starts; a read-only install just compresses again next time. */
function writeQuietly(folder: string, file: string, bytes: Uint8Array): void {
  try {
    mkdirSync(folder, { recursive: true });
    // Written aside and renamed, so another process never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } catch {
    // Serving from memory works all the same.
  }
}

function loadPrecompressed(manifest: StaticManifest): PrecompressedStore {
  const folder = join(manifest.dir, PRECOMPRESSED_DIR);
  const copies = new Map<string, Compressed>();
  const missing: { hash: string; body: Uint8Array<ArrayBuffer>; coding: "br" | "gzip"; file: string }[] = [];
  const keep = (hash: string, coding: "br" | "gzip", body: Uint8Array, bytes: Uint8Array<ArrayBuffer>) => {
    const entry = copies.get(hash) ?? {};
    if (bytes.byteLength < body.byteLength) entry[coding] = bytes;
    copies.set(hash, entry);
  };
  for (const { hash, body } of manifest.assets.values()) {
    for (const { coding, extension } of CODINGS) {
      const file = join(folder, `${hash}.${extension}`);
      const bytes = readIfThere(file);
      if (bytes) keep(hash, coding, body, bytes);
      else if (!missing.some((job) => job.file === file)) missing.push({ hash, body, coding, file });
    }
  }
  const ready = (async () => {
    // One at a time: the box has two cores and is serving requests meanwhile.
    for (const job of missing) {
      try {
        const bytes = await compress(job.coding, job.body);
        keep(job.hash, job.coding, job.body, bytes);
        writeQuietly(folder, job.file, bytes);
      } catch {
        // Nobody awaits this at start, so it must not reject; the file goes uncompressed.
      }
    }
  })();
  return { variants: (hash) => copies.get(hash) ?? {}, ready, made: missing.length };
}

const stores = new WeakMap<StaticManifest, PrecompressedStore>();

/** The compressed copies of a manifest's files, loaded once per manifest. */
export function precompressed(manifest: StaticManifest): PrecompressedStore {
  let store = stores.get(manifest);
  if (!store) {
    store = loadPrecompressed(manifest);
    stores.set(manifest, store);
  }
  return store;
}
