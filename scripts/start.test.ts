import { expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir, spawnServer } from "../server/testing/harness.ts";
import { bundleIsFresh } from "./server-bundle.ts";

test("npm start runs the server from a bundle of the current sources, serves static files and stops cleanly", async () => {
  const dir = makeTempDir();
  try {
    // Builds dist/opsbox.js first when a source changed since the last build.
    const server = await spawnServer({ PORT: "0", OPSBOX_DATA_DIR: dir }, join(import.meta.dir, "start.ts"));
    expect(bundleIsFresh()).toBe(true);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    // The bundle finds the files that live beside the sources (static/, migrations/) from wherever it runs.
    const css = await fetch(`${server.url}/static/app.css`);
    expect(css.status).toBe(200);
    expect((await css.text()).length).toBeGreaterThan(1000);
    server.proc.kill("SIGTERM");
    expect(await server.proc.exited).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
