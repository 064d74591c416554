import { describe, expect, test } from "bun:test";
import { eventOf, parseLogLine } from "./litestream-log.ts";
import { backupHealth } from "./readiness.ts";
import { applyEvent, lagMs, newProgress, observeWal } from "./replica-progress.ts";
import type { SupervisorStatus } from "./status-file.ts";

const written =
  'time=2026-12-07T23:46:50.933Z level=INFO msg="wal segment written" db=/data/opsbox.db replica=s3 position=d5e4086ed77e2818/00000000:4152 elapsed=528µs sz=4120';

describe("litestream's log", () => {
  test("a written WAL segment is the replica's new position", () => {
    expect(eventOf(parseLogLine(written))).toEqual({
      kind: "replicated",
      replica: "s3",
      position: "d5e4086ed77e2818/00000000:4152",
      at: Date.parse("2026-12-07T23:46:50.933Z"),
    });
  });

  test("an error line keeps its quoted message", () => {
    const line =
      'time=2026-12-07T23:46:51Z level=ERROR msg="monitor error" replica=s3 error="dial tcp: connection \\"refused\\""';
    expect(eventOf(parseLogLine(line))).toMatchObject({
      kind: "error",
      replica: "s3",
      message: 'monitor error: dial tcp: connection "refused"',
    });
  });
});

describe("replication lag", () => {
  test("a change after the last shipped segment is pending until the next one", () => {
    const replicas = [newProgress("s3")];
    applyEvent(replicas, { kind: "replicated", replica: "s3", position: "a/0:1", at: 1000 });
    observeWal(replicas, 900, 0);
    expect(lagMs(replicas[0] ?? newProgress("x"), 5000)).toBe(0);
    observeWal(replicas, 2000, 0);
    expect(lagMs(replicas[0] ?? newProgress("x"), 5000)).toBe(3000);
    applyEvent(replicas, { kind: "replicated", replica: "s3", position: "a/0:2", at: 5100 });
    expect(lagMs(replicas[0] ?? newProgress("x"), 6000)).toBe(0);
  });

  test("a lagging replica makes the check fail with a message, without a stopped child", () => {
    const status: SupervisorStatus = {
      serverPid: 1,
      state: "running",
      reason: null,
      childPid: 2,
      childStartedAt: 0,
      restarts: 0,
      replicas: [{ ...newProgress("s3"), pendingSince: 1000, lastError: { message: "connection refused", at: 1 } }],
      lastSnapshotRequestedAt: null,
      lastSnapshotRequestDoneAt: null,
    };
    const health = backupHealth(status, 1000, 31_000);
    expect(health?.healthy).toBe(false);
    expect(health?.message).toBe("Backups: the s3 replica is 30 s behind (connection refused).");
    expect(backupHealth({ ...status, state: "disabled" }, 1000)).toBeNull();
  });
});
