import type { JobRun } from "../../models/jobs.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import { AppError, notFound } from "../http/errors.ts";
import { releaseQuarantine } from "./quarantine.ts";
import { findVisibleRun, listVisibleRuns, type RunFilters, type RunReader } from "./runs.ts";
import type { JobScheduler } from "./scheduler.ts";

/** Who looks at jobs: an admin of the context's organisation; the instance admin also sees the box's own jobs. */
export const readerOf = (ctx: ServiceContext, instanceAdmin: boolean): RunReader => ({
  orgId: ctx.orgId,
  box: instanceAdmin,
});

export function listJobRuns(
  ctx: ServiceContext,
  reader: RunReader,
  query: RunFilters & { cursor?: string; limit: number },
): { data: JobRun[]; nextCursor: string | null } {
  const rows = listVisibleRuns(ctx.db, reader, query, {
    before: query.cursor ? cursorKey(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  return pageOf(rows, query.limit, (run) => [run.id]);
}

/** 404 for a run of another organisation (or of the box, for an organisation's admin). */
export function jobRunOrNotFound(ctx: ServiceContext, reader: RunReader, runId: string): JobRun {
  const run = findVisibleRun(ctx.db, reader, runId);
  if (!run) throw notFound("job run");
  return run;
}

/** Cancels a queued, waiting or running run; 409 when it is over already. */
export async function cancelJobRun(
  ctx: ServiceContext,
  reader: RunReader,
  runId: string,
  scheduler: JobScheduler | undefined,
): Promise<JobRun> {
  const run = jobRunOrNotFound(ctx, reader, runId);
  if (!["queued", "running", "retrying"].includes(run.status))
    throw new AppError("conflict", `The run is over already (${run.status.replace("_", " ")}).`);
  if (!scheduler) throw new AppError("unavailable", "The job scheduler is not running.");
  const cancelled = await scheduler.cancel(run);
  recordAudit(ctx.db, {
    orgId: run.orgId,
    action: "job_run.cancelled",
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    targetType: "job_run",
    targetId: run.id,
    details: { jobId: run.jobId },
    meta: ctx.meta,
  });
  return cancelled ?? run;
}

/** Lets a quarantined job run again in the organisation (or, for the instance admin, the box); 404 when it is not quarantined there. */
export function releaseJob(ctx: ServiceContext, reader: RunReader, jobId: string, scope: "box" | "organization"): void {
  if (scope === "box" && !reader.box) throw notFound("quarantined job");
  const orgId = scope === "box" ? null : ctx.orgId;
  const released = ctx.db.transaction((tx) => {
    if (!releaseQuarantine(tx, { jobId, orgId }, ctx.userId, new Date())) return false;
    recordAudit(tx, {
      orgId,
      action: "job.released",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "job",
      targetId: jobId,
      meta: ctx.meta,
    });
    return true;
  });
  if (!released) throw notFound("quarantined job");
}
