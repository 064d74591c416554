/**
 * `npm start`: runs the server from its bundle (dist/opsbox.js, see scripts/build-server.ts),
 * rebuilding it first when a file it was built from changed since (about 1–2 s, once). Should the
 * build fail, the server runs from the sources, as `npm run dev` does.
 */
import { BUNDLE, bundleIsFresh, ROOT } from "./server-bundle.ts";

type Main = typeof import("../server/main.ts");

function rebuild(): boolean {
  // Another process, so that the bundler's memory is not the server's; its messages go to stderr,
  // since stdout carries the server's JSON log lines.
  const build = Bun.spawnSync([process.execPath, `${ROOT}/scripts/build-server.ts`], {
    cwd: ROOT,
    stdio: ["ignore", 2, 2],
  });
  return build.exitCode === 0;
}

let server: Main;
if (bundleIsFresh() || rebuild()) {
  server = require(BUNDLE) as Main;
} else {
  process.stderr.write("opsbox: the bundle did not build; starting from the sources\n");
  server = await import("../server/main.ts");
}
await server.main();
// Once started, a full collection, then JavaScriptCore frees what loading left behind, the
// compiled code of start-up paths included (compiled again should it run): idle RSS about 4 MB
// lower (bench/RESULTS.md, 2026-12-07; Bun.shrink alone did it in one start of three).
// Bun.shrink is deprecated in Bun's types with no replacement named; Bun is pinned (1.4.5).
setTimeout(() => {
  Bun.gc(true);
  Bun.shrink();
}, 1000).unref();
