import type { JobRun } from "../../models/jobs.ts";

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A run as the API shows it. */
export function toJobRunJson(run: JobRun, title: string | null) {
  return {
    id: run.id,
    jobId: run.jobId,
    title: title ?? run.jobId,
    organizationId: run.orgId,
    status: run.status,
    trigger: run.trigger,
    attempt: run.attempt,
    queuedAt: iso(run.queuedAt),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.durationMs,
    retryAt: iso(run.retryAt),
    progress: { percent: run.progress, message: run.progressMessage },
    result: run.resultText || run.resultLinks ? { summary: run.resultText, links: run.resultLinks ?? [] } : null,
    error: run.error,
    log: run.log,
  };
}
