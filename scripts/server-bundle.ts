import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Where `npm start`'s bundle of the server lives, and whether it still matches the files it was
 * built from. Imports nothing heavy: scripts/start.ts runs this on every start (about 1,100
 * stats, 1–2 ms).
 */

export const ROOT = resolve(import.meta.dir, "..");
export const BUNDLE = join(ROOT, "dist", "opsbox.js");
export const MANIFEST = join(ROOT, "dist", "opsbox.manifest.json");

/** What the manifest records of each input: a changed size, or a changed mtime with changed content, is stale. */
export type InputStamp = { size: number; mtimeMs: number; hash: string };

export type Manifest = {
  /** The bundle holds absolute paths of this tree (migrations, static files, fonts): a copy elsewhere rebuilds. */
  root: string;
  bunVersion: string;
  inputs: Record<string, InputStamp>;
};

export function hashFile(path: string): string {
  return Bun.hash(readFileSync(path)).toString(16);
}

/** The bundle exists and was built by this Bun, in this tree, from inputs that have not changed since. */
export function bundleIsFresh(): boolean {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Manifest;
    statSync(BUNDLE);
  } catch {
    return false;
  }
  if (manifest.root !== ROOT || manifest.bunVersion !== Bun.version) return false;
  for (const [path, stamp] of Object.entries(manifest.inputs)) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat || stat.size !== stamp.size) return false;
    // A checkout or a copy touches mtimes without changing content: only then is the file read.
    if (stat.mtimeMs !== stamp.mtimeMs && hashFile(path) !== stamp.hash) return false;
  }
  return true;
}
