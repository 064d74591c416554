import type { JobRun } from "../../models/jobs.ts";
import type { JobDefinition } from "./definition.ts";
import { quarantineAfterOf, retryOf } from "./definition.ts";
import type { Runtime } from "./execute.ts";
import { mailQuarantineNotice, recordJobFailure, recordJobSuccess } from "./quarantine.ts";
import { deleteRun, finishRun, listRunningRuns, type RunOutcome, updateRun } from "./runs.ts";

/**
 * Writes the end of a run and what follows from it: the metrics count, the failure streak
 * (with the quarantine and its one notice at the threshold), and for `notable` jobs, no history
 * of a run that did nothing worth reading.
 */
export function endRun(
  rt: Runtime,
  ended: { def: JobDefinition | undefined; run: JobRun; log: string[] },
  outcome: RunOutcome,
): void {
  const { def, run } = ended;
  const { db } = rt;
  const logger = rt.log.child({ job: run.jobId, runId: run.id, orgId: run.orgId });
  const written = db.transaction((tx) => {
    const finished = finishRun(tx, run, outcome, ended.log);
    if (!finished) return null; // cancelled meanwhile
    if (outcome.status === "succeeded") {
      recordJobSuccess(tx, run.jobId, run.orgId, outcome.finishedAt);
      if (def?.history === "notable" && !outcome.resultText) deleteRun(tx, run.id);
      return { quarantined: false };
    }
    if (outcome.status === "cancelled") return { quarantined: false };
    const threshold = quarantineAfterOf(def);
    const error = outcome.error ?? "Failed.";
    const quarantined =
      threshold !== null &&
      recordJobFailure(tx, { jobId: run.jobId, orgId: run.orgId, error, threshold }, outcome.finishedAt);
    if (quarantined) {
      def?.onQuarantined?.(tx, run.orgId, outcome.finishedAt);
      mailQuarantineNotice(
        tx,
        rt.log,
        {
          jobId: run.jobId,
          title: def?.title ?? run.jobId,
          orgId: run.orgId,
          failures: threshold,
          error,
          baseUrl: rt.baseUrl,
        },
        outcome.finishedAt,
      );
    }
    return { quarantined };
  });
  if (!written) return;
  rt.countJobRun(run.jobId, outcome.status);
  if (outcome.status === "succeeded") {
    if (outcome.resultText) logger.info({ result: outcome.resultText }, "job run succeeded");
  } else if (outcome.status === "cancelled") logger.info({ error: outcome.error }, "job run cancelled");
  else logger.error({ status: outcome.status, error: outcome.error }, "job run failed");
  if (written.quarantined) logger.error("job quarantined after failing too often in a row; an admin must release it");
}

/**
 * Runs a previous process left `running`: retried after a back-off while attempts are left,
 * failed otherwise. Returns how many were found.
 */
export function recoverInterruptedRuns(rt: Runtime, defs: Map<string, JobDefinition>): number {
  const now = rt.now();
  const orphans = listRunningRuns(rt.db);
  for (const run of orphans) {
    const error = `Interrupted: the box stopped during attempt ${run.attempt}.`;
    const def = defs.get(run.jobId);
    const policy = retryOf(def);
    if (def && run.attempt < policy.attempts) {
      updateRun(rt.db, run.id, {
        status: "retrying",
        error,
        retryAt: new Date(now.getTime() + rt.backoff(policy, run.attempt)),
        log: [...run.log, `${now.toISOString()} ${error} Trying again.`],
      });
    } else {
      endRun(rt, { def, run, log: run.log }, { status: "failed", error, finishedAt: now });
    }
  }
  if (orphans.length > 0) rt.log.warn({ runs: orphans.length }, "jobs interrupted by a restart were marked");
  return orphans.length;
}
