import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { type IngestionJob, ingestionJobs } from "../../../models/knowledge.ts";
import type { Queryable } from "../../db.ts";
import { newId } from "../../tools/ids.ts";

/** The persistent ingestion queue (ingestion_jobs): plain functions, worked by job.ts on the job runtime. */

export type JobKind = IngestionJob["kind"];

/** Tries per job before its document is marked failed. */
export const MAX_ATTEMPTS = 3;
/** Back-off after the first failed try; doubles with each further one. */
export const RETRY_BASE_MS = 5_000;

/** When a job that failed its `attempts`-th try may run again. */
export function retryDelayMs(attempts: number): number {
  return RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1);
}

/** Queues work on a document, inside the caller's transaction (runs as soon as a worker is free). */
export function enqueueJob(
  tx: Queryable,
  job: { orgId: string; documentId: string; kind: JobKind },
  now = new Date(),
): IngestionJob {
  return tx
    .insert(ingestionJobs)
    .values({ id: newId("job", now.getTime()), ...job, status: "queued", runAfter: now, createdAt: now })
    .returning()
    .get();
}

/** Whether a document already has a job of this kind waiting or running. */
export function hasPendingJob(tx: Queryable, documentId: string, kind: JobKind): boolean {
  return (
    tx
      .select({ id: ingestionJobs.id })
      .from(ingestionJobs)
      .where(
        and(
          eq(ingestionJobs.documentId, documentId),
          eq(ingestionJobs.kind, kind),
          inArray(ingestionJobs.status, ["queued", "running"]),
        ),
      )
      .get() !== undefined
  );
}

/**
 * Takes `orgId`'s next due job (oldest first) and marks it running, one try more; null when none
 * is due. Which organisation goes next is the scheduler's: it starts the one whose work has waited
 * longest (listWaitingOrganizations), one run at a time for the box. Only work a run takes is
 * listed there, so a run is never started for nothing while another organisation cannot start.
 */
export function claimNextJob(db: Queryable, orgId: string, now = new Date()): IngestionJob | null {
  return db.transaction((tx) => {
    const next = tx
      .select()
      .from(ingestionJobs)
      .where(and(eq(ingestionJobs.orgId, orgId), eq(ingestionJobs.status, "queued"), lte(ingestionJobs.runAfter, now)))
      .orderBy(asc(ingestionJobs.runAfter), asc(ingestionJobs.id))
      .limit(1)
      .get();
    if (!next) return null;
    return (
      tx
        .update(ingestionJobs)
        .set({ status: "running", attempts: sql`${ingestionJobs.attempts} + 1`, startedAt: now, lastError: null })
        .where(and(eq(ingestionJobs.id, next.id), eq(ingestionJobs.status, "queued")))
        .returning()
        .get() ?? null
    );
  });
}

/** Per organisation with queued jobs, when its earliest is due, earliest first (the job runtime's `waiting`). */
export function listWaitingOrganizations(db: Queryable): { orgId: string; dueAt: Date }[] {
  const earliest = sql<number>`min(${ingestionJobs.runAfter})`;
  return db
    .select({ orgId: ingestionJobs.orgId, dueAt: earliest })
    .from(ingestionJobs)
    .where(eq(ingestionJobs.status, "queued"))
    .groupBy(ingestionJobs.orgId)
    .orderBy(earliest)
    .all()
    .map((row) => ({ orgId: row.orgId, dueAt: new Date(row.dueAt) }));
}

/** How many of an organisation's jobs are due now (for a run's "n of m"). */
export function countDueJobs(db: Queryable, orgId: string, now = new Date()): number {
  return (
    db
      .select({ count: sql<number>`count(*)` })
      .from(ingestionJobs)
      .where(and(eq(ingestionJobs.status, "queued"), eq(ingestionJobs.orgId, orgId), lte(ingestionJobs.runAfter, now)))
      .get()?.count ?? 0
  );
}

/**
 * Jobs left `running` by a process that died (or was stopped mid-job) go back to the queue.
 * One process owns a data directory, so at start nothing is really running.
 */
export function requeueInterruptedJobs(db: Queryable, now = new Date()): number {
  return db
    .update(ingestionJobs)
    .set({ status: "queued", runAfter: now })
    .where(eq(ingestionJobs.status, "running"))
    .returning({ id: ingestionJobs.id })
    .all().length;
}

export function finishJob(tx: Queryable, jobId: string, now = new Date()): void {
  tx.update(ingestionJobs)
    .set({ status: "done", finishedAt: now, lastError: null })
    .where(eq(ingestionJobs.id, jobId))
    .run();
}

/** Records a failed try: queued again after the back-off, or failed for good after the last try. */
export function failJob(
  tx: Queryable,
  job: Pick<IngestionJob, "id" | "attempts">,
  error: string,
  options: { permanent: boolean },
  now = new Date(),
): { retryAt: Date | null } {
  const final = options.permanent || job.attempts >= MAX_ATTEMPTS;
  const retryAt = final ? null : new Date(now.getTime() + retryDelayMs(job.attempts));
  tx.update(ingestionJobs)
    .set(
      final
        ? { status: "failed", lastError: error, finishedAt: now }
        : { status: "queued", lastError: error, runAfter: retryAt ?? now },
    )
    .where(eq(ingestionJobs.id, job.id))
    .run();
  return { retryAt };
}

/** Puts a job interrupted by shutdown back, without counting the try. */
export function releaseJob(tx: Queryable, job: Pick<IngestionJob, "id" | "attempts">, now = new Date()): void {
  tx.update(ingestionJobs)
    .set({ status: "queued", attempts: Math.max(0, job.attempts - 1), runAfter: now })
    .where(eq(ingestionJobs.id, job.id))
    .run();
}

/** Jobs waiting and running across every organisation: the queue's depth, for /metrics. */
export function countPendingJobs(db: Queryable): { queued: number; running: number } {
  const rows = db
    .select({ status: ingestionJobs.status, count: sql<number>`count(*)` })
    .from(ingestionJobs)
    .where(inArray(ingestionJobs.status, ["queued", "running"]))
    .groupBy(ingestionJobs.status)
    .all();
  const counts = { queued: 0, running: 0 };
  for (const row of rows) if (row.status === "queued" || row.status === "running") counts[row.status] = row.count;
  return counts;
}
