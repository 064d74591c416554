import { test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A small tmpfs for disk-full drills: a real file system that really fills up. Mounting needs
 * root (as CI has); where the machine refuses, the drills are skipped with the reason, except
 * under CI=true, where any failure other than a refusal of permission fails them.
 */
export type Tmpfs = { dir: string; unmount: () => void };

export type TmpfsMount = { tmpfs: Tmpfs; reason: null } | { tmpfs: null; reason: string };

/** Mounts a tmpfs of `sizeMb` on a fresh directory; decided by trying, never by guessing. */
export function mountTmpfs(sizeMb: number): TmpfsMount {
  const dir = mkdtempSync(join(tmpdir(), "opsbox-tmpfs-"));
  const result = Bun.spawnSync(["mount", "-t", "tmpfs", "-o", `size=${sizeMb}m,mode=0700`, "tmpfs", dir], {
    stdout: "pipe",
    stderr: "pipe",
  });
  if (result.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    const said = result.stderr.toString().trim() || `mount exited with ${result.exitCode}`;
    return { tmpfs: null, reason: `cannot mount a tmpfs: ${said}` };
  }
  return {
    tmpfs: {
      dir,
      unmount: () => {
        Bun.spawnSync(["umount", "-l", dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    },
    reason: null,
  };
}

function refusedPermission(reason: string): boolean {
  return /permission denied|not permitted|must be superuser|only root/i.test(reason);
}

/** `test`, or a skip naming why the tmpfs could not be mounted (a failure under CI=true unless refused). */
export function testWithTmpfs(
  mount: TmpfsMount,
  name: string,
  fn: (tmpfs: Tmpfs) => Promise<void>,
  timeoutMs?: number,
): void {
  const { tmpfs, reason } = mount;
  if (tmpfs) test(name, () => fn(tmpfs), timeoutMs);
  else if (process.env.CI === "true" && !refusedPermission(reason)) {
    test(name, () => {
      throw new Error(`${reason}; CI=true requires the drill where the machine allows mounting`);
    });
  } else test.skip(`${name} [skipped: ${reason}]`, () => {});
}
