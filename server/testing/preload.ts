import { afterAll } from "bun:test";
import { mkdtempSync, rmSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTestsEnd } from "./tests-end.ts";

/**
 * Preloaded by `bun test` (bunfig.toml): the test process keeps every temporary directory (data
 * directories, the migrated template database, browser profiles) under one fresh folder, removed
 * once every test file has run.
 *
 * Unless TMPDIR names a place, that folder is on /dev/shm, a RAM file system. The databases are
 * the same real SQLite files with the same pragmas (WAL, synchronous=FULL); only the fsync under
 * them is free. On this project's 2-core box a commit's fsync on the disk under /tmp took about
 * 3.7 ms (0.05 ms on /dev/shm) and every box writes an 8 MB disk reserve: together about 40% of
 * the suite's wall time, spent waiting. Where /dev/shm is missing or small (Docker gives 64 MB),
 * the suite stays on the default temporary directory.
 */
const RAM_DIR = "/dev/shm";
// Uploads of up to 50 MB, disk reserves of 8 MB and a few browser profiles must fit.
const MIN_FREE_BYTES = 2 * 1024 * 1024 * 1024;

function freeBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return 0;
  }
}

function testsFolder(): string {
  if (!process.env.TMPDIR && freeBytes(RAM_DIR) >= MIN_FREE_BYTES) {
    try {
      return mkdtempSync(join(RAM_DIR, "opsbox-tests-"));
    } catch {
      // Not writable for this user: the default temporary directory it is.
    }
  }
  return mkdtempSync(join(tmpdir(), "opsbox-tests-"));
}

const folder = testsFolder();
process.env.TMPDIR = folder;
// A hook in a preloaded file runs once, after every test file (bun test fires no "exit" event).
afterAll(async () => {
  await runTestsEnd();
  rmSync(folder, { recursive: true, force: true });
});
