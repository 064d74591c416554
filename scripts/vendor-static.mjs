// Copies the browser libraries the console uses from node_modules into static/vendor.
// Runs after `npm ci` (postinstall); the console never loads anything from a CDN. Then makes the
// brotli and gzip copies of everything under static/ (precompress-static.mjs).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { precompressStatic } from "./precompress-static.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const target = join(root, "static", "vendor");
mkdirSync(target, { recursive: true });

const files = [
  ["htmx.org/dist/htmx.min.js", "htmx.min.js"],
  ["htmx.org/dist/ext/hx-sse.min.js", "hx-sse.min.js"],
  ["@picocss/pico/css/pico.min.css", "pico.min.css"],
  ["sortablejs/Sortable.min.js", "sortable.min.js"],
];
for (const [from, to] of files) {
  copyFileSync(require.resolve(from), join(target, to));
}
console.log(`static/vendor: ${files.map(([, to]) => to).join(", ")}`);
const started = performance.now();
const { made, kept, deleted } = precompressStatic(join(root, "static"));
const ms = Math.round(performance.now() - started);
console.log(`static/.precompressed: ${made} made, ${kept} kept, ${deleted} deleted in ${ms} ms`);
