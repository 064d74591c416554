import { z } from "zod";
import type { AppDeps } from "../http/env.ts";
import { fileCopyCounts } from "./files/ledger.ts";
import { backupJobSchema, backupJobs } from "./jobs.ts";
import { backupKeyStatus } from "./key.ts";
import { backupHealth } from "./readiness.ts";
import { lagMs } from "./replica-progress.ts";
import { backupSettingsView } from "./settings-change.ts";
import type { ChildState, SupervisorStatus } from "./status-file.ts";
import { lastVerification, type Verification } from "./verify.ts";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const childStates = ["disabled", "starting", "running", "restarting", "stopped", "unavailable"] as const;

export const backupOverviewSchema = z.object({
  enabled: z.boolean().describe("Whether backups are set up and on."),
  healthy: z.boolean().describe("False when Litestream is not running or a replica lags (as /readyz says)."),
  message: z.string().nullable().describe("What is wrong, when something is."),
  process: z.object({
    state: z.enum(childStates),
    reason: z.string().nullable(),
    pid: z.number().int().nullable(),
    startedAt: z.iso.datetime().nullable(),
    restarts: z.number().int(),
  }),
  replicas: z.array(
    z.object({
      name: z.string().describe('"s3" or "directory".'),
      position: z.string().nullable().describe("The last replicated position, generation/index:offset."),
      lastReplicatedAt: z.iso.datetime().nullable(),
      lagMs: z.number().int().describe("How long the oldest change not yet on the replica has waited; 0 when none."),
      lastSnapshotAt: z.iso.datetime().nullable(),
      lastError: z.object({ message: z.string(), at: z.iso.datetime() }).nullable(),
    }),
  ),
  lastVerification: z
    .object({
      at: z.iso.datetime(),
      ok: z.boolean(),
      message: z.string(),
      replica: z.string().nullable(),
      generation: z.string().nullable(),
      sizeBytes: z.number().nullable(),
      files: z
        .object({ checked: z.number(), missing: z.number(), damaged: z.number() })
        .nullish()
        .describe("The uploaded files of the restored database, checked against their sha256."),
    })
    .nullable()
    .describe("The last test restore (from the console, the API or `opsbox backup verify`)."),
  files: z
    .object({
      copied: z.number().int().describe("Uploaded files confirmed on every replica."),
      waiting: z.number().int().describe("Uploaded files not yet confirmed on every replica."),
    })
    .nullable()
    .describe("The uploaded files' copies on the replicas as set up now; null while backups are off."),
  key: z
    .object({
      exists: z.boolean().describe("False until backups first run, which makes the key."),
      recipient: z.string().nullable().describe("The key's public half (age1…)."),
      createdAt: z.iso.datetime().nullable(),
      exportedAt: z.iso.datetime().nullable().describe("When it was downloaded, its only time; null before."),
    })
    .describe("The age key that encrypts the backups. Never the key itself: see POST /api/v1/backups/key/export."),
  jobs: z
    .object({ snapshot: backupJobSchema.nullable(), verify: backupJobSchema.nullable() })
    .describe("The latest back-up-now and test restore started through the console or the API, since the last start."),
});
export type BackupOverview = z.infer<typeof backupOverviewSchema>;

const NO_SUPERVISOR: SupervisorStatus = {
  serverPid: process.pid,
  state: "disabled" satisfies ChildState,
  reason: "Backups are not supervised by this process.",
  childPid: null,
  childStartedAt: null,
  restarts: 0,
  replicas: [],
  lastSnapshotRequestedAt: null,
  lastSnapshotRequestDoneAt: null,
};

/** The backups at a glance: the Litestream child, each replica and its lag, the last test restore, the jobs. */
export function backupOverview(
  deps: Pick<AppDeps, "config" | "db" | "keyring" | "log" | "backup">,
  now = Date.now(),
): BackupOverview {
  const status = deps.backup?.status() ?? NO_SUPERVISOR;
  const health = backupHealth(status, deps.config.backup.syncIntervalMs, now);
  const verification: Verification | null = lastVerification(deps.db);
  // The settings say whether backups are on; the supervisor applies them a moment after a save.
  const enabled = backupSettingsView(deps.db).enabled;
  const applying = enabled && status.state === "disabled";
  return {
    enabled,
    healthy: applying ? false : (health?.healthy ?? true),
    message: applying ? "Litestream is starting with the new settings." : (health?.message ?? null),
    process: {
      state: status.state,
      reason: status.reason,
      pid: status.childPid,
      startedAt: iso(status.childStartedAt),
      restarts: status.restarts,
    },
    replicas: status.replicas.map((replica) => ({
      name: replica.name,
      position: replica.position,
      lastReplicatedAt: iso(replica.lastReplicatedAt),
      lagMs: Math.round(lagMs(replica, now)),
      lastSnapshotAt: iso(replica.lastSnapshotAt),
      lastError: replica.lastError
        ? { message: replica.lastError.message, at: new Date(replica.lastError.at).toISOString() }
        : null,
    })),
    lastVerification: verification,
    files: fileCopyCounts(deps.db, deps.keyring, deps.config.dataDir),
    key: keyOverview(deps.db),
    jobs: backupJobs(deps),
  };
}

function keyOverview(db: AppDeps["db"]): BackupOverview["key"] {
  const key = backupKeyStatus(db);
  return key.exists
    ? { exists: true, recipient: key.recipient, createdAt: key.createdAt, exportedAt: key.exportedAt }
    : { exists: false, recipient: null, createdAt: null, exportedAt: null };
}
