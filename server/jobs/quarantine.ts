import { and, eq, isNotNull, isNull, ne, or, sql } from "drizzle-orm";
import { memberships, users } from "../../models/identity.ts";
import { type JobState, jobStates } from "../../models/jobs.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { queueMail } from "../mail/outbox.ts";
import { scopeOf } from "./definition.ts";

export type Quarantine = { jobId: string; orgId: string | null; since: Date; reason: string };

/** Every quarantined job and scope, for the scheduler to skip. */
export function quarantinedScopes(db: Queryable): Set<string> {
  const rows = db
    .select({ jobId: jobStates.jobId, scope: jobStates.scope })
    .from(jobStates)
    .where(isNotNull(jobStates.quarantinedAt))
    .all();
  return new Set(rows.map((row) => `${row.jobId}\u0000${row.scope}`));
}

/** A run ended well: the count of failures in a row starts again. */
export function recordJobSuccess(db: Queryable, jobId: string, orgId: string | null, now: Date): void {
  db.update(jobStates)
    .set({ consecutiveFailures: 0, updatedAt: now })
    .where(and(eq(jobStates.jobId, jobId), eq(jobStates.scope, scopeOf(orgId)), ne(jobStates.consecutiveFailures, 0)))
    .run();
}

/**
 * A run failed for good (its retries spent): one more failure in a row. The `threshold`-th
 * quarantines the job in that scope; true when this call did it (so that one notice goes out).
 */
export function recordJobFailure(
  db: Queryable,
  failure: { jobId: string; orgId: string | null; error: string; threshold: number },
  now: Date,
): boolean {
  const scope = scopeOf(failure.orgId);
  const state = db
    .insert(jobStates)
    .values({ jobId: failure.jobId, scope, orgId: failure.orgId, consecutiveFailures: 1, updatedAt: now })
    .onConflictDoUpdate({
      target: [jobStates.jobId, jobStates.scope],
      set: { consecutiveFailures: sql`${jobStates.consecutiveFailures} + 1`, updatedAt: now },
    })
    .returning()
    .get();
  if (state.quarantinedAt || state.consecutiveFailures < failure.threshold) return false;
  db.update(jobStates)
    .set({ quarantinedAt: now, quarantineReason: failure.error.slice(0, 1000), releasedAt: null, releasedBy: null })
    .where(and(eq(jobStates.jobId, failure.jobId), eq(jobStates.scope, scope)))
    .run();
  return true;
}

/** Lets a quarantined job run again; false when it was not quarantined in that scope. */
export function releaseQuarantine(
  db: Queryable,
  target: { jobId: string; orgId: string | null },
  by: string | null,
  now: Date,
): boolean {
  return (
    db
      .update(jobStates)
      .set({ quarantinedAt: null, consecutiveFailures: 0, releasedAt: now, releasedBy: by, updatedAt: now })
      .where(
        and(
          eq(jobStates.jobId, target.jobId),
          eq(jobStates.scope, scopeOf(target.orgId)),
          isNotNull(jobStates.quarantinedAt),
        ),
      )
      .returning()
      .all().length > 0
  );
}

/** The quarantines a reader sees: their organisation's, and the box's when `box`. */
export function listQuarantines(db: Queryable, reader: { orgId: string; box: boolean }): Quarantine[] {
  const scope = reader.box
    ? or(eq(jobStates.orgId, reader.orgId), isNull(jobStates.orgId))
    : eq(jobStates.orgId, reader.orgId);
  return db
    .select()
    .from(jobStates)
    .where(and(isNotNull(jobStates.quarantinedAt), scope))
    .all()
    .map(toQuarantine);
}

/** Whether a job is quarantined for the organisation (an agent, before starting it by hand or on an event). */
export function isQuarantined(db: Queryable, jobId: string, orgId: string): boolean {
  return listQuarantines(db, { orgId, box: false }).some((item) => item.jobId === jobId);
}

function toQuarantine(state: JobState): Quarantine {
  return {
    jobId: state.jobId,
    orgId: state.orgId,
    since: state.quarantinedAt ?? state.updatedAt,
    reason: state.quarantineReason ?? "",
  };
}

/** Who is told: the organisation's admins, or the box's instance admins for a box-wide job. */
function adminAddresses(db: Queryable, orgId: string | null): string[] {
  const active = ne(users.status, "deactivated");
  if (!orgId) {
    return db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.isInstanceAdmin, true), active))
      .all()
      .map((row) => row.email);
  }
  return db
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "admin"), active))
    .all()
    .map((row) => row.email);
}

/** The one notice of a quarantine: an e-mail per admin through the outbox; the /jobs page shows it too. */
export function mailQuarantineNotice(
  db: Queryable,
  log: Logger,
  notice: { jobId: string; title: string; orgId: string | null; failures: number; error: string; baseUrl: string },
  now: Date,
): void {
  const subject = `Opsbox stopped the job “${notice.title}” after ${notice.failures} failed runs`;
  const text = `The background job “${notice.title}” (${notice.jobId}) failed ${notice.failures} times in a row and no longer runs until an admin releases it.\n\nLast error: ${notice.error}\n\nRead its runs and release it: ${notice.baseUrl}/jobs\n`;
  for (const to of adminAddresses(db, notice.orgId))
    queueMail(db, log, { orgId: notice.orgId, to, subject, text, template: "job_quarantined" }, now);
}
