import type { JobRun } from "../../models/jobs.ts";
import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { type JobDefinition, type JobResult, type RetryPolicy, type RunContext, retryOf } from "./definition.ts";
import { endRun } from "./finish.ts";
import { appendLines, updateRun } from "./runs.ts";

/** What runs need of the scheduler: the database, the clock, and where to count and tell. */
export type Runtime = {
  db: Db;
  log: Logger;
  baseUrl: string;
  countJobRun: (job: string, status: string) => void;
  now: () => Date;
  backoff: (policy: RetryPolicy, failed: number) => number;
  /** Aborted when the box begins to stop (RunContext.stopping). */
  stopping: AbortSignal;
};

/** Why a run was aborted from outside its own code. */
export class RunAbort extends Error {
  constructor(readonly kind: "timeout" | "cancel" | "shutdown") {
    super(kind);
  }
}

/** Progress and log lines are written at most this often while a run works (and always at its end). */
const FLUSH_MS = 500;
/**
 * How long an aborted run's own code is waited for after the abort, so that its clean-up (an
 * item put back in its queue) is written before the run's end, and before the database closes
 * at a stop. Shorter than the scheduler's stop margin.
 */
const SETTLE_MS = 150;

/**
 * One attempt of a run: marks it running, calls the job with its context and a timeout, and
 * writes how it ended: done, waiting to retry, back in the queue (the box stopping), or over
 * for good (succeeded, failed, timed out, cancelled).
 */
export async function executeRun(rt: Runtime, def: JobDefinition, queued: JobRun, controller: AbortController) {
  const started = rt.now();
  const attempt = queued.attempt + 1;
  const run = updateRun(rt.db, queued.id, {
    status: "running",
    attempt,
    startedAt: queued.startedAt ?? started,
    retryAt: null,
  });
  if (!run) return; // cancelled while it waited
  const logger = rt.log.child({ job: def.id, runId: run.id, orgId: run.orgId });
  const lines = [...run.log];
  let pending: string[] = [];
  let progress: { progress: number; progressMessage: string | null } | null = null;
  let flushedAt = 0;
  const flush = (force = false) => {
    if (!force && Date.now() - flushedAt < FLUSH_MS) return;
    flushedAt = Date.now();
    if (pending.length === 0 && !progress) return;
    lines.splice(0, lines.length, ...appendLines(lines, pending));
    pending = [];
    updateRun(rt.db, run.id, { log: [...lines], ...(progress ?? {}) });
    progress = null;
  };
  const ctx: RunContext = {
    jobId: def.id,
    runId: run.id,
    orgId: run.orgId,
    trigger: run.trigger,
    attempt,
    logger,
    signal: controller.signal,
    stopping: rt.stopping,
    abortedBy: () => (controller.signal.reason instanceof RunAbort ? controller.signal.reason.kind : null),
    now: rt.now,
    log: (line) => {
      pending.push(`${rt.now().toISOString()} ${line}`);
      flush();
    },
    progress: (percent, message) => {
      progress = { progress: Math.max(0, Math.min(100, Math.round(percent))), progressMessage: message ?? null };
      flush();
    },
  };
  const timeout = setTimeout(() => controller.abort(new RunAbort("timeout")), def.timeoutMs);
  let result: JobResult | undefined;
  let failure: unknown = null;
  const work = Promise.resolve().then(() => def.run(ctx));
  try {
    result = await untilAborted(work, controller.signal);
  } catch (error) {
    failure = controller.signal.aborted ? controller.signal.reason : error;
    if (controller.signal.aborted) await Promise.race([work.catch(() => {}), Bun.sleep(SETTLE_MS)]);
  } finally {
    clearTimeout(timeout);
  }
  flush(true);
  const now = rt.now();
  const final = { def, run: { ...run, log: lines }, log: lines };
  if (failure === null) {
    endRun(rt, final, {
      status: "succeeded",
      finishedAt: now,
      resultText: result?.summary,
      resultLinks: result?.links,
    });
    return;
  }
  const kind = failure instanceof RunAbort ? failure.kind : "error";
  if (kind === "shutdown") {
    // Not a failure of the job: the same attempt runs again at the next start.
    updateRun(rt.db, run.id, {
      status: "queued",
      attempt: queued.attempt,
      log: appendLines(lines, [
        `${now.toISOString()} Interrupted by the box stopping; it runs again at the next start.`,
      ]),
    });
    logger.warn("job run interrupted by the stop; queued for the next start");
    return;
  }
  if (kind === "cancel") {
    endRun(rt, final, { status: "cancelled", finishedAt: now, error: "Cancelled by an admin." });
    return;
  }
  const error = kind === "timeout" ? `Timed out after ${def.timeoutMs / 1000} s.` : messageOf(failure);
  const policy = retryOf(def);
  if (attempt < policy.attempts) {
    const retryAt = new Date(now.getTime() + rt.backoff(policy, attempt));
    updateRun(rt.db, run.id, {
      status: "retrying",
      retryAt,
      error,
      log: appendLines(lines, [
        `${now.toISOString()} Attempt ${attempt} failed: ${error} Trying again at ${retryAt.toISOString()}.`,
      ]),
    });
    logger.warn({ attempt, error }, "job run failed; it will be tried again");
    return;
  }
  endRun(rt, final, { status: kind === "timeout" ? "timed_out" : "failed", finishedAt: now, error });
}

/** The job's promise, or a rejection with the abort's reason as soon as the signal fires (a job may ignore it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 2000) || "Failed without a message.";
}
