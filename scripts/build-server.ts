/**
 * Bundles the server into dist/opsbox.js for `npm start` (run at `npm ci`'s postinstall, and by
 * scripts/start.ts when a source changed since). `npm run dev` and the tests run the sources.
 *
 * CommonJS: measured on the shared 2-core box (bench/RESULTS.md, 2026-12-07) it starts in about
 * half the time of the sources and idles about 11 MB lower, where an ESM bundle idled 8 MB
 * *higher* than the sources, and bytecode (`--bytecode`) started a little sooner but idled 3–5 MB
 * higher. CommonJS also means no top-level await anywhere in the server.
 */
import { renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { BUNDLE, hashFile, type InputStamp, MANIFEST, type Manifest, ROOT } from "./server-bundle.ts";

// Left to Node-style resolution at run time: native code or files found beside the package
// (node-llama-cpp, sqlite-vec), or libraries the server loads on first use only, which inside
// the bundle would cost their source text in memory from the start.
const EXTERNAL = [
  "node-llama-cpp",
  "sqlite-vec",
  "unpdf",
  "pdf-lib",
  "@pdf-lib/fontkit",
  "qrcode",
  "@zxcvbn-ts/core",
  "@zxcvbn-ts/language-common",
  "markdown-it",
  "entities",
  "postal-mime",
  "nodemailer",
  "imapflow",
  "smtp-server",
  "age-encryption",
];

/** Builds the bundle and its manifest; returns the number of inputs, or throws with the build's messages. */
export async function buildServerBundle(): Promise<number> {
  // Built aside, then renamed into place: a server starting meanwhile reads the old bundle or the new one, whole.
  const scratch = join(ROOT, "dist", `.build-${process.pid}`);
  try {
    const result = await Bun.build({
      entrypoints: [join(ROOT, "server", "main.ts")],
      outdir: scratch,
      naming: "opsbox.js",
      target: "bun",
      format: "cjs",
      // Names kept, so that a logged stack trace names its functions (about 1 MB more than renaming
      // them). No source map: Bun reads one found beside the bundle at start (about 5 MB resident).
      minify: { whitespace: true, syntax: true, identifiers: false },
      external: EXTERNAL,
      metafile: true,
      throw: false,
    });
    if (!result.success || !result.metafile) {
      throw new Error(`the server bundle did not build:\n${result.logs.map(String).join("\n")}`);
    }
    // Input paths are relative to the working directory. This script is an input too: a change of options must rebuild.
    const paths = [...Object.keys(result.metafile.inputs).map((input) => resolve(input)), import.meta.path];
    const inputs: Record<string, InputStamp> = {};
    for (const path of paths) {
      const { size, mtimeMs } = statSync(path);
      inputs[path] = { size, mtimeMs, hash: hashFile(path) };
    }
    const manifest: Manifest = { root: ROOT, bunVersion: Bun.version, inputs };
    writeFileSync(join(scratch, "manifest.json"), JSON.stringify(manifest));
    renameSync(join(scratch, "opsbox.js"), BUNDLE);
    renameSync(join(scratch, "manifest.json"), MANIFEST);
    return paths.length;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const started = performance.now();
  try {
    const count = await buildServerBundle();
    const kb = Math.round(statSync(BUNDLE).size / 1024);
    const ms = Math.round(performance.now() - started);
    process.stderr.write(`dist/opsbox.js: ${kb} KB from ${count} files in ${ms} ms\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
