import { and, desc, eq, inArray, isNull, lt, notInArray, or, type SQL } from "drizzle-orm";
import {
  type JobResultLink,
  type JobRun,
  type JobRunStatus,
  type JobRunTrigger,
  jobRuns,
  openJobRunStatuses,
} from "../../models/jobs.ts";
import type { Db, Queryable } from "../db.ts";
import { newId } from "../tools/ids.ts";
import { RUN_LOG_LINES } from "./definition.ts";

const sameScope = (orgId: string | null) => (orgId ? eq(jobRuns.orgId, orgId) : isNull(jobRuns.orgId));

/** The run of this job and scope that is not over yet (queued, running or waiting to retry), if any. */
export function findOpenRun(db: Queryable, jobId: string, orgId: string | null): JobRun | null {
  return (
    db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, jobId), sameScope(orgId), inArray(jobRuns.status, [...openJobRunStatuses])))
      .get() ?? null
  );
}

export type EnqueueInput = {
  jobId: string;
  orgId: string | null;
  trigger: JobRunTrigger;
  requestedBy?: string | null;
};

/**
 * Queues a run unless one of the same job and scope is still open: one run at a time per job
 * and organisation, across processes (the CLI queues through the same table). `created` says
 * which happened.
 */
export function enqueueRun(db: Db, input: EnqueueInput, now: Date): { run: JobRun; created: boolean } {
  return db.transaction((tx) => {
    const open = findOpenRun(tx, input.jobId, input.orgId);
    if (open) return { run: open, created: false };
    const run = tx
      .insert(jobRuns)
      .values({
        id: newId("run", now.getTime()),
        jobId: input.jobId,
        orgId: input.orgId,
        status: "queued",
        trigger: input.trigger,
        queuedAt: now,
        log: [],
        requestedBy: input.requestedBy ?? null,
      })
      .returning()
      .get();
    return { run, created: true };
  });
}

/** Runs waiting for their turn: queued, or retrying with their time come. */
export function listWaitingRuns(db: Queryable): JobRun[] {
  return db
    .select()
    .from(jobRuns)
    .where(inArray(jobRuns.status, ["queued", "retrying"]))
    .orderBy(jobRuns.queuedAt)
    .all();
}

export function listRunningRuns(db: Queryable): JobRun[] {
  return db.select().from(jobRuns).where(eq(jobRuns.status, "running")).all();
}

export function findRunById(db: Queryable, id: string): JobRun | null {
  return db.select().from(jobRuns).where(eq(jobRuns.id, id)).get() ?? null;
}

/** Changes a run's row; `status` moves only from an open status (a cancel that won the race stays). */
export function updateRun(db: Queryable, id: string, changes: Partial<Omit<JobRun, "id">>): JobRun | null {
  return (
    db
      .update(jobRuns)
      .set(changes)
      .where(and(eq(jobRuns.id, id), inArray(jobRuns.status, [...openJobRunStatuses])))
      .returning()
      .get() ?? null
  );
}

/** The run's log with `lines` added, keeping the last RUN_LOG_LINES. */
export function appendLines(log: string[], lines: string[]): string[] {
  const all = [...log, ...lines.map((line) => line.slice(0, 500))];
  return all.slice(Math.max(0, all.length - RUN_LOG_LINES));
}

export type RunOutcome = {
  status: Extract<JobRunStatus, "succeeded" | "failed" | "cancelled" | "timed_out">;
  finishedAt: Date;
  error?: string | null;
  resultText?: string | null;
  resultLinks?: JobResultLink[] | null;
};

/** Ends a run: its final status, end, duration (from its first start) and result or error. */
export function finishRun(db: Queryable, run: JobRun, outcome: RunOutcome, log: string[]): JobRun | null {
  const started = run.startedAt?.getTime() ?? outcome.finishedAt.getTime();
  return updateRun(db, run.id, {
    status: outcome.status,
    finishedAt: outcome.finishedAt,
    durationMs: Math.max(0, outcome.finishedAt.getTime() - started),
    retryAt: null,
    error: outcome.error ?? null,
    resultText: outcome.resultText ?? null,
    resultLinks: outcome.resultLinks ?? null,
    progress: outcome.status === "succeeded" ? 100 : run.progress,
    log,
  });
}

/** Deletes finished runs queued before `before`; returns how many went. */
export function pruneRunHistory(db: Db, before: Date): number {
  return db
    .delete(jobRuns)
    .where(and(notInArray(jobRuns.status, [...openJobRunStatuses]), lt(jobRuns.queuedAt, before)))
    .returning({ id: jobRuns.id })
    .all().length;
}

export function deleteRun(db: Queryable, id: string): void {
  db.delete(jobRuns).where(eq(jobRuns.id, id)).run();
}

/** Who may see which runs: an organisation's, and the box's own when `box` is true (instance admin). */
export type RunReader = { orgId: string; box: boolean };

export function readerScope(reader: RunReader): SQL | undefined {
  return reader.box ? or(eq(jobRuns.orgId, reader.orgId), isNull(jobRuns.orgId)) : eq(jobRuns.orgId, reader.orgId);
}

export function findVisibleRun(db: Queryable, reader: RunReader, id: string): JobRun | null {
  return (
    db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.id, id), readerScope(reader)))
      .get() ?? null
  );
}

export type RunFilters = { jobId?: string; status?: JobRunStatus[]; trigger?: JobRunTrigger };

/** The reader's runs, newest first (keyset on the time-sortable id). */
export function listVisibleRuns(
  db: Queryable,
  reader: RunReader,
  filters: RunFilters,
  page: { before?: string; limit: number },
): JobRun[] {
  return db
    .select()
    .from(jobRuns)
    .where(
      and(
        readerScope(reader),
        filters.jobId ? eq(jobRuns.jobId, filters.jobId) : undefined,
        filters.status?.length ? inArray(jobRuns.status, filters.status) : undefined,
        filters.trigger ? eq(jobRuns.trigger, filters.trigger) : undefined,
        page.before ? lt(jobRuns.id, page.before) : undefined,
      ),
    )
    .orderBy(desc(jobRuns.id))
    .limit(page.limit)
    .all();
}
