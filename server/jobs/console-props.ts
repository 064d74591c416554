import type { Context } from "hono";
import type { JobRun } from "../../models/jobs.ts";
import type { JobRunRow, JobsPageProps } from "../../views/pages/settings/jobs.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin, serviceContext } from "../http/guards.ts";
import { describeSchedule } from "./definition.ts";
import { listQuarantines } from "./quarantine.ts";
import { listVisibleRuns } from "./runs.ts";
import { readerOf } from "./service.ts";

const minute = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ");
const scopeLabel = (orgId: string | null) => (orgId ? "this organisation" : "the whole box");

function durationOf(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/** A run as the run tables show it (/jobs and /agents). */
export function jobRunRow(run: JobRun, title: string): JobRunRow {
  return {
    id: run.id,
    title,
    scope: scopeLabel(run.orgId),
    status: run.status,
    trigger: run.trigger,
    attempt: run.attempt,
    queuedAt: minute(run.queuedAt),
    progress: run.progress,
    progressMessage: run.progressMessage,
    retryAt: run.retryAt ? minute(run.retryAt) : null,
    duration: durationOf(run.durationMs),
    error: run.error,
    result: run.resultText,
    links: run.resultLinks ?? [],
    log: run.log,
  };
}

/** /jobs: what runs and waits, what is quarantined, the last 50 finished runs, and the registry. */
export function jobsPageProps(
  c: Context<AppEnv>,
  state: Partial<Pick<JobsPageProps, "notice" | "error">> = {},
): JobsPageProps {
  const ctx = serviceContext(c);
  const showsBox = isInstanceAdmin(c);
  const reader = readerOf(ctx, showsBox);
  const scheduler = c.var.deps.jobs;
  const titleOf = (jobId: string) => scheduler?.definition(jobId)?.title ?? jobId;
  const row = (run: JobRun) => jobRunRow(run, titleOf(run.jobId));
  const open = listVisibleRuns(ctx.db, reader, { status: ["running", "queued", "retrying"] }, { limit: 200 });
  const recent = listVisibleRuns(
    ctx.db,
    reader,
    { status: ["succeeded", "failed", "cancelled", "timed_out"] },
    { limit: 50 },
  );
  return {
    switcher: organizationSwitcher(c),
    csrf: formCsrf(c),
    notice: state.notice ?? null,
    error: state.error ?? null,
    showsBox,
    jobs: (scheduler?.definitions() ?? [])
      .filter((job) => showsBox || job.scope === "organization")
      .map((job) => ({
        id: job.id,
        title: job.title,
        description: job.description,
        schedule: describeSchedule(job.schedule),
        scope: job.scope === "box" ? "the whole box" : "each organisation",
      })),
    quarantines: listQuarantines(ctx.db, reader).map((item) => ({
      jobId: item.jobId,
      title: titleOf(item.jobId),
      scope: item.orgId ? "organization" : "box",
      scopeLabel: scopeLabel(item.orgId),
      since: minute(item.since),
      reason: item.reason,
    })),
    open: open.map(row),
    recent: recent.map(row),
  };
}
