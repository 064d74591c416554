import { afterAll } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, statfsSync } from "node:fs";
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
const PREFIX = "opsbox-tests-";

function freeBytes(dir: string): number {
  try {
    const stats = statfsSync(dir);
    return Number(stats.bavail) * Number(stats.bsize);
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Folders of earlier runs whose process is gone (killed, or a --parallel worker): removed. */
function removeLeftovers(base: string): void {
  try {
    for (const name of readdirSync(base)) {
      const pid = Number(name.startsWith(PREFIX) ? name.slice(PREFIX.length).split("-")[0] : Number.NaN);
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(join(base, name), { recursive: true, force: true });
    }
  } catch {
    // Nothing to tidy, or not ours to tidy.
  }
}

function testsFolder(): string {
  const bases = !process.env.TMPDIR && freeBytes(RAM_DIR) >= MIN_FREE_BYTES ? [RAM_DIR, tmpdir()] : [tmpdir()];
  for (const base of bases) {
    removeLeftovers(base);
    try {
      return mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
    } catch {
      // Not writable for this user: the next place it is.
    }
  }
  throw new Error(`cannot make a temporary folder in ${bases.join(" or ")}`);
}

const folder = testsFolder();
process.env.TMPDIR = folder;
// In a plain run, a hook in a preloaded file runs once, after every test file (bun test fires no
// "exit" event). A --parallel worker runs it after each file, and may give the next file the same
// folder: there it empties the folder but leaves it, until a later run finds its process gone.
afterAll(async () => {
  await runTestsEnd();
  if (!process.env.BUN_TEST_WORKER_ID) rmSync(folder, { recursive: true, force: true });
  else for (const name of readdirSync(folder)) rmSync(join(folder, name), { recursive: true, force: true });
});
