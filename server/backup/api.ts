import { type Context, Hono } from "hono";
import { z } from "zod";
import { apiDoc } from "../http/api-doc.ts";
import { cursorOffset, pageOfAll, pageQuery } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { backupActorOf } from "./actor.ts";
import { applyBackupSettings } from "./apply.ts";
import { ensureKeyWhenEnabled } from "./encryption.ts";
import { type BackupJobKind, backupJobSchema, startBackupJob } from "./jobs.ts";
import { BACKUP_KEY_FILE_NAME, exportBackupKeyOnce } from "./key-export.ts";
import { backupOverview, backupOverviewSchema } from "./overview.ts";
import {
  backupSettingsUpdate,
  backupSettingsView,
  backupSettingsViewSchema,
  changeBackupSettings,
} from "./settings-change.ts";
import { readBackupListing, snapshotSchema } from "./snapshots.ts";

const tags = ["Backups"];
const boxWide =
  "Backups belong to the whole box: admins with `backups.manage` may read them; only the box's instance admin starts, tests or changes them.";
const jobStarted = {
  description:
    "Started, or already running (then the running one, not a second). Follow it in `jobs` of GET /api/v1/backups.",
  schema: backupJobSchema,
};

/** The backup key file as a download that no cache keeps (the console's answer too). */
export function backupKeyDownload(c: Context<AppEnv>, file: string): Response {
  return c.body(file, 200, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Disposition": `attachment; filename="${BACKUP_KEY_FILE_NAME}"`,
    "Cache-Control": "no-store",
  });
}

function startJob(c: Context<AppEnv>, kind: BackupJobKind) {
  const { job } = startBackupJob(c.var.deps, kind, backupActorOf(c));
  c.header("Location", "/api/v1/backups");
  return c.json(job, 202);
}

/** /api/v1/backups: status, snapshots, back up now, test restore, the key's one download, settings. */
export const backupsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "Backup status",
      description: `The Litestream process, each replica with its last position and lag, the last test restore and the latest jobs. ${boxWide}`,
      tags,
      responses: { 200: { description: "The status", schema: backupOverviewSchema } },
    }),
    requirePermission("backups.manage"),
    (c) => {
      c.header("Cache-Control", "no-store");
      return c.json(backupOverview(c.var.deps));
    },
  )
  .get(
    "/snapshots",
    apiDoc({
      summary: "List backup snapshots",
      description:
        "Every snapshot on every replica, newest first, read from the replicas with the litestream binary (it can take seconds). 409 while backups are off; 503 when the replicas cannot be read within 30 s.",
      tags,
      responses: {
        200: {
          description: "The snapshots, a page at a time",
          schema: z.object({ data: z.array(snapshotSchema), nextCursor: z.string().nullable() }),
        },
      },
    }),
    requirePermission("backups.manage"),
    validate("query", pageQuery),
    async (c) => {
      const query = c.req.valid("query");
      cursorOffset(query); // A cursor it never handed out is 422, even while backups are off.
      const listing = await readBackupListing(c.var.deps);
      return c.json(pageOfAll(listing.snapshots, query));
    },
  )
  .post(
    "/snapshot",
    apiDoc({
      summary: "Back up now",
      description:
        "Starts a fresh snapshot on every replica in the background (Litestream is restarted after its final sync and begins a new generation) and answers 202 at once. 409 while backups are off.",
      tags,
      responses: { 202: jobStarted },
    }),
    requireInstanceAdmin(),
    (c) => startJob(c, "snapshot"),
  )
  .post(
    "/verify",
    apiDoc({
      summary: "Test restore",
      description:
        "Starts a full restore of the latest backup into a temporary folder, checked with `PRAGMA integrity_check` and then deleted, and answers 202 at once; the result becomes `lastVerification`. 409 while backups are off.",
      tags,
      responses: { 202: jobStarted },
    }),
    requireInstanceAdmin(),
    (c) => startJob(c, "verify"),
  )
  .post(
    "/key/export",
    apiDoc({
      summary: "Download the backup key (once)",
      description:
        "The age key that encrypts every backup, as an identity file (`AGE-SECRET-KEY-1…` with comment lines), for the admin to keep offline: `opsbox backup restore --key FILE` reads it when the box is lost. It is answered once: every later call is 409 (see `key.exportedAt` of GET /api/v1/backups). 409 too while there is no key and backups are off. Recorded in the audit log as `backups.key_exported`.",
      tags,
      responses: {
        200: {
          description: `The key file, as the attachment ${BACKUP_KEY_FILE_NAME}`,
          contentType: "text/plain",
        },
      },
    }),
    requireInstanceAdmin(),
    async (c) => {
      const { db, keyring } = c.var.deps;
      return backupKeyDownload(c, await exportBackupKeyOnce(db, keyring, backupActorOf(c)));
    },
  )
  .get(
    "/settings",
    apiDoc({
      summary: "Get the backup settings",
      description: "The secret access key is never sent back; `secretAccessKeySet` says whether one is stored.",
      tags,
      responses: { 200: { description: "The settings", schema: backupSettingsViewSchema } },
    }),
    requireInstanceAdmin(),
    (c) => c.json(backupSettingsView(c.var.deps.db)),
  )
  .put(
    "/settings",
    apiDoc({
      summary: "Change the backup settings",
      description:
        "An S3-compatible bucket, a directory, or both. Leave out `secretAccessKey` to keep the stored one. Turning backups off keeps the replica settings for later. Applied at once: Litestream restarts with the new settings.",
      tags,
      responses: { 200: { description: "The settings", schema: backupSettingsViewSchema } },
    }),
    requireInstanceAdmin(),
    validate("json", backupSettingsUpdate),
    async (c) => {
      const { db, keyring, log } = c.var.deps;
      const view = changeBackupSettings(db, keyring, backupActorOf(c), c.req.valid("json"));
      // The key exists when the answer comes, so a client can download it right after.
      await ensureKeyWhenEnabled(db, keyring, log);
      applyBackupSettings(c.var.deps);
      return c.json(view);
    },
  );
