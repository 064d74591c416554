import { and, count, eq, inArray, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { organizations } from "../../models/identity.ts";
import { documentChunks, documents } from "../../models/knowledge.ts";
import { securityPolicySchema } from "../../models/security-policy.ts";
import { timeEntries } from "../../models/time.ts";
import { tasks } from "../../models/work.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { Db, Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { deleteFileIfUnused } from "../knowledge/upload/files.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "../organization-settings.ts";

/** What retention deletes. Invoices, customers and approvals are kept: the law keeps books for years. */
export const retentionKinds = ["closedTasks", "timeEntries", "documents"] as const;
export type RetentionKind = (typeof retentionKinds)[number];
export type RetentionCounts = Record<RetentionKind, number>;

export const RETENTION_SETTING = "privacy.retention";
const DAY_MS = 86_400_000;

const confirmationSchema = z.object({
  dataRetentionDays: z.number().int(),
  confirmedAt: z.string(),
  confirmedBy: z.string(),
});
export type RetentionConfirmation = z.infer<typeof confirmationSchema>;

export type RetentionPreview = {
  /** The policy's value; null keeps records until someone deletes them. */
  dataRetentionDays: number | null;
  /** Records last touched before this are past retention. */
  cutoff: Date | null;
  counts: RetentionCounts;
  confirmation: RetentionConfirmation | null;
  /** True when the daily job deletes: an admin confirmed a preview for the policy's current value. */
  active: boolean;
};

/** The conditions of each kind's rows past `cutoff` in one organisation. */
function pastRetention(
  orgId: string,
  cutoff: Date,
): Record<RetentionKind, { table: typeof tasks | typeof timeEntries | typeof documents; where: SQL | undefined }> {
  return {
    closedTasks: {
      table: tasks,
      where: and(eq(tasks.orgId, orgId), eq(tasks.status, "done"), lt(tasks.completedAt, cutoff)),
    },
    // Entries are days (`YYYY-MM-DD`): an entry of the cutoff's day is kept.
    timeEntries: {
      table: timeEntries,
      where: and(eq(timeEntries.orgId, orgId), lt(timeEntries.date, cutoff.toISOString().slice(0, 10))),
    },
    documents: { table: documents, where: and(eq(documents.orgId, orgId), lt(documents.updatedAt, cutoff)) },
  };
}

function policyDays(db: Queryable, orgId: string): number | null {
  const row = db.select({ policy: organizations.policy }).from(organizations).where(eq(organizations.id, orgId)).get();
  const policy = securityPolicySchema.safeParse(row?.policy);
  return policy.success ? policy.data.dataRetentionDays : null;
}

function findConfirmation(db: Queryable, orgId: string): RetentionConfirmation | null {
  const parsed = confirmationSchema.safeParse(readOrganizationSetting(db, orgId, RETENTION_SETTING));
  return parsed.success ? parsed.data : null;
}

/** What the daily job would delete in the organisation now, and whether it is allowed to. */
export function previewRetention(db: Queryable, orgId: string, now = new Date()): RetentionPreview {
  const days = policyDays(db, orgId);
  const confirmation = findConfirmation(db, orgId);
  const counts: RetentionCounts = { closedTasks: 0, timeEntries: 0, documents: 0 };
  if (days === null) return { dataRetentionDays: null, cutoff: null, counts, confirmation, active: false };
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  for (const [kind, past] of Object.entries(pastRetention(orgId, cutoff)) as [
    RetentionKind,
    ReturnType<typeof pastRetention>[RetentionKind],
  ][]) {
    counts[kind] = db.select({ n: count() }).from(past.table).where(past.where).get()?.n ?? 0;
  }
  return { dataRetentionDays: days, cutoff, counts, confirmation, active: confirmation?.dataRetentionDays === days };
}

/**
 * An admin has seen the preview for `days` and lets the daily job delete. Refused (409) when the
 * policy no longer says `days` (the preview was stale) or keeps records until deleted.
 */
export function confirmRetention(ctx: ServiceContext, days: number, now = new Date()): RetentionPreview {
  const current = policyDays(ctx.db, ctx.orgId);
  if (current === null) {
    throw new AppError(
      "conflict",
      "The security policy keeps records until they are deleted: there is nothing to confirm.",
    );
  }
  if (current !== days) {
    throw new AppError(
      "conflict",
      `The security policy now keeps records ${current} days. Look at the new preview and confirm it.`,
    );
  }
  const value: RetentionConfirmation = {
    dataRetentionDays: days,
    confirmedAt: now.toISOString(),
    confirmedBy: ctx.userId,
  };
  ctx.db.transaction((tx) => {
    writeOrganizationSetting(tx, ctx.orgId, RETENTION_SETTING, value, now);
    const preview = previewRetention(tx, ctx.orgId, now);
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        actorUserId: ctx.userId,
        actorApiKeyId: ctx.apiKeyId,
        meta: ctx.meta,
        action: "privacy.retention_confirmed",
        details: { dataRetentionDays: days, preview: preview.counts },
      },
      now,
    );
  });
  return previewRetention(ctx.db, ctx.orgId, now);
}

/**
 * The daily job: in every organisation whose admin confirmed the preview for the policy's current
 * value, deletes closed tasks (with their comments and history), time entries and documents (with
 * their files, unless another document has the same bytes) past retention, and audits what went
 * as `privacy.retention_applied`. Returns the counts per organisation that deleted something.
 */
export function applyRetention(db: Db, dataDir: string, now = new Date()): Map<string, RetentionCounts> {
  const done = new Map<string, RetentionCounts>();
  for (const org of db.select({ id: organizations.id }).from(organizations).all()) {
    const preview = previewRetention(db, org.id, now);
    if (!preview.active || !preview.cutoff) continue;
    if (retentionKinds.every((kind) => preview.counts[kind] === 0)) continue;
    const past = pastRetention(org.id, preview.cutoff);
    const deleted = db.transaction((tx) => {
      const closedTasks = tx.delete(tasks).where(past.closedTasks.where).returning({ id: tasks.id }).all().length;
      const entries = tx
        .delete(timeEntries)
        .where(past.timeEntries.where)
        .returning({ id: timeEntries.id })
        .all().length;
      const gone = tx
        .select({ id: documents.id, sha256: documents.sha256 })
        .from(documents)
        .where(past.documents.where)
        .all();
      const ids = gone.map((row) => row.id);
      if (ids.length > 0) {
        tx.delete(documentChunks).where(inArray(documentChunks.documentId, ids)).run();
        tx.update(documents).set({ parentId: null }).where(inArray(documents.parentId, ids)).run();
        tx.delete(documents).where(inArray(documents.id, ids)).run();
      }
      const counts: RetentionCounts = { closedTasks, timeEntries: entries, documents: ids.length };
      recordAudit(
        tx,
        {
          orgId: org.id,
          action: "privacy.retention_applied",
          details: {
            dataRetentionDays: preview.dataRetentionDays,
            cutoff: preview.cutoff?.toISOString(),
            deleted: counts,
          },
        },
        now,
      );
      return { counts, hashes: gone.map((row) => row.sha256) };
    });
    for (const sha256 of new Set(deleted.hashes)) deleteFileIfUnused(db, dataDir, sha256);
    done.set(org.id, deleted.counts);
  }
  return done;
}
