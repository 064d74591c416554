import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { findFreePort } from "../../bench/server.ts";

const CLI = join(import.meta.dir, "..", "..", "node_modules", "fauxqs", "dist", "cli.js");

export type FauxS3 = {
  endpoint: string;
  bucket: string;
  /** Stops the store; its objects stay on disk for `start`. */
  stop: () => Promise<void>;
  start: () => Promise<void>;
};

/**
 * An S3-compatible store on loopback (fauxqs, run by Bun), objects kept in `dir` so that a
 * stopped store comes back with them. Litestream needs force-path-style against it.
 */
export async function startFauxS3(dir: string, bucket = "opsbox-backups"): Promise<FauxS3> {
  mkdirSync(join(dir, "objects"), { recursive: true });
  const init = join(dir, "init.json");
  writeFileSync(init, JSON.stringify({ buckets: [bucket] }));
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let proc: Subprocess | null = null;
  const start = async () => {
    proc = Bun.spawn([process.execPath, CLI], {
      env: {
        PATH: process.env.PATH ?? "",
        FAUXQS_PORT: String(port),
        FAUXQS_INIT: init,
        FAUXQS_LOGGER: "false",
        FAUXQS_S3_STORAGE_DIR: join(dir, "objects"),
      },
      stdout: "ignore",
      stderr: "ignore",
    });
    for (let tries = 0; tries < 100; tries++) {
      const up = await fetch(`${endpoint}/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (up) return;
      await Bun.sleep(100);
    }
    throw new Error("fauxqs did not start");
  };
  await start();
  return {
    endpoint,
    bucket,
    start,
    stop: async () => {
      proc?.kill("SIGKILL");
      await proc?.exited;
      proc = null;
    },
  };
}
