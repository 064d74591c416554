import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The files under static/ with their content hashes, read once at start (about 1 ms for the
 * console's 250 KB): the views take their URLs from it and server/http/static-files.ts serves
 * from it. It lives here because both need it and views may import only server/tools.
 */

export const STATIC_DIR = join(import.meta.dir, "..", "..", "static");

/** Where scripts/precompress-static.mjs leaves `<sha256>.br` and `<sha256>.gz` of each file. */
export const PRECOMPRESSED_DIR = ".precompressed";

export type StaticAsset = {
  /** Path under static/, with forward slashes: `vendor/htmx.min.js`. */
  path: string;
  /** SHA-256 of the content, hex. */
  hash: string;
  /** The path with the first 8 hex digits of the hash before the extension: `vendor/htmx.min.3f2a9c1b.js`. */
  fingerprinted: string;
  body: Uint8Array<ArrayBuffer>;
};

export type StaticManifest = {
  dir: string;
  /** By plain path. */
  assets: Map<string, StaticAsset>;
  /** By fingerprinted path. */
  fingerprinted: Map<string, StaticAsset>;
};

/** `app.css` + hash → `app.3f2a9c1b.css`; a name without an extension gets the hash appended. */
export function fingerprintPath(path: string, hash: string): string {
  const short = hash.slice(0, 8);
  const match = /^(.*\/)?([^/]+?)(\.[^./]+)?$/.exec(path);
  const [, folder = "", stem = path, extension = ""] = match ?? [];
  return `${folder}${stem}.${short}${extension}`;
}

/** SHA-256 hex of a file's bytes; scripts/precompress-static.mjs names its outputs the same way. */
export function contentHash(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

/**
 * Reads every file under `dir`. Dot files and folders (the precompressed cache among them) and
 * anything that is neither a plain file nor a folder (symbolic links) are left out, so nothing
 * outside the folder can be reached through it.
 */
export function readStaticManifest(dir: string): StaticManifest {
  const assets = new Map<string, StaticAsset>();
  const fingerprinted = new Map<string, StaticAsset>();
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(join(folder, entry.name), `${path}/`);
      else if (entry.isFile()) {
        const body = readFileSync(join(folder, entry.name));
        const hash = contentHash(body);
        const asset = { path, hash, fingerprinted: fingerprintPath(path, hash), body };
        assets.set(path, asset);
        fingerprinted.set(asset.fingerprinted, asset);
      }
    }
  };
  try {
    walk(dir, "");
  } catch (error) {
    // No static/ at all (a broken install): pages still render, with plain URLs that 404.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  return { dir, assets, fingerprinted };
}

let defaultManifest: StaticManifest | null = null;

/** The manifest of the repository's static/, read on first use and kept for the life of the process. */
export function staticManifest(): StaticManifest {
  defaultManifest ??= readStaticManifest(STATIC_DIR);
  return defaultManifest;
}

/**
 * The URL a page links for a file under static/: fingerprinted, so browsers may keep it for a
 * year. A file that is missing (static/vendor not filled yet) keeps its plain URL.
 */
export function assetUrl(path: string, manifest: StaticManifest = staticManifest()): string {
  const asset = manifest.assets.get(path);
  return `/static/${asset ? asset.fingerprinted : path}`;
}
