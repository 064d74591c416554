import { eq } from "drizzle-orm";
import { documents, type IngestionJob } from "../../../models/knowledge.ts";
import type { AppDeps } from "../../http/env.ts";
import { ExtractionError } from "../extract/types.ts";
import { setDocumentStatus } from "../record.ts";
import { clearStagedFiles } from "../upload/files.ts";
import { type IngestDeps, ingestDocument } from "./ingest.ts";
import { claimNextJob, failJob, MAX_ATTEMPTS, nextJobDueAt, releaseJob, requeueInterruptedJobs } from "./jobs.ts";
import { dropRetiredVectorTables, reembedDocument, scheduleReembedding } from "./reembed.ts";
import { onIngestionWake } from "./wake.ts";

/** How often an idle worker looks at the queue even without a wake-up (jobs due after a back-off). */
const IDLE_POLL_MS = 5_000;

export type IngestionWorker = { stop: () => Promise<void> };

/** What the worker tells the rest of the box (main.ts wires it): a document of the organisation finished ingesting. */
export type IngestionHooks = { onIngested?: (orgId: string, documentId: string) => void };

/**
 * Works the ingestion queue in the background, one job at a time (ingestion is CPU-bound and
 * the box has few cores). Jobs a dead process left running are queued again first. On stop the
 * running job is aborted and goes back to the queue untouched, for the next start.
 */
export function startIngestionWorker(deps: AppDeps, hooks: IngestionHooks = {}): IngestionWorker {
  const ingest: IngestDeps = {
    db: deps.db,
    dataDir: deps.config.dataDir,
    ai: deps.ai,
    log: deps.log,
    maxUploadBytes: deps.config.maxUploadBytes,
  };
  const requeued = requeueInterruptedJobs(deps.db);
  if (requeued > 0) deps.log.info({ jobs: requeued }, "ingestion jobs interrupted by a stop were queued again");
  clearStagedFiles(deps.config.dataDir);
  const abort = new AbortController();
  let stopped = false;
  let wakeUp: () => void = () => {};
  const unregister = onIngestionWake(() => wakeUp());

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const loop = (async () => {
    // Documents indexed for an older embedding model are re-embedded in the background.
    scheduleReembedding(deps);
    while (!stopped) {
      let job: IngestionJob | null = null;
      try {
        job = claimNextJob(deps.db);
      } catch (error) {
        deps.log.error({ err: error }, "could not read the ingestion queue");
      }
      if (!job) {
        const due = safeNextDue(deps);
        await sleep(due ? Math.min(IDLE_POLL_MS, Math.max(0, due.getTime() - Date.now())) : IDLE_POLL_MS);
        continue;
      }
      if ((await runJob(ingest, job, abort.signal)) && job.kind === "ingest") notify(deps, hooks, job);
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      unregister();
      abort.abort(new Error("The box is stopping."));
      wakeUp();
      await loop;
    },
  };
}

function safeNextDue(deps: AppDeps): Date | null {
  try {
    return nextJobDueAt(deps.db);
  } catch {
    return null;
  }
}

/** Tells the hook; a hook's failure is only logged (the document is indexed either way). */
function notify(deps: AppDeps, hooks: IngestionHooks, job: IngestionJob): void {
  try {
    hooks.onIngested?.(job.orgId, job.documentId);
  } catch (error) {
    deps.log.warn({ err: error, documentId: job.documentId }, "could not tell that a document finished ingesting");
  }
}

/** Runs one job; true when it finished (not failed, not interrupted). */
async function runJob(deps: IngestDeps, job: IngestionJob, signal: AbortSignal): Promise<boolean> {
  const started = performance.now();
  try {
    if (job.kind === "ingest") await ingestDocument(deps, job, signal);
    else await reembedDocument(deps, job, signal);
    deps.log.info(
      { jobId: job.id, documentId: job.documentId, kind: job.kind, ms: Math.round(performance.now() - started) },
      "ingestion job done",
    );
  } catch (error) {
    if (signal.aborted) {
      deps.db.transaction((tx) => releaseJob(tx, job));
      deps.log.info({ jobId: job.id }, "ingestion job interrupted by the stop; it runs again at the next start");
      return false;
    }
    recordFailure(deps, job, error);
    return false;
  }
  dropRetiredVectors(deps);
  return true;
}

/** After a finished job: the old model's vectors go once no document uses them (a failure here is only logged). */
function dropRetiredVectors(deps: IngestDeps): void {
  const model = deps.ai.embeddingModel();
  if (!model) return;
  try {
    const dropped = dropRetiredVectorTables(deps.db, model);
    if (dropped.length > 0) deps.log.info({ tables: dropped }, "vectors of a model no document uses any more dropped");
  } catch (error) {
    deps.log.warn(
      { err: error },
      "the vectors of an old embedding model could not be dropped; the next job tries again",
    );
  }
}

/** A failed try: the job retries after a back-off, and the document says so; the last try marks it failed. */
function recordFailure(deps: IngestDeps, job: IngestionJob, error: unknown): void {
  const permanent = error instanceof ExtractionError;
  const message = error instanceof Error ? error.message : String(error);
  deps.log.warn(
    { jobId: job.id, documentId: job.documentId, attempt: job.attempts, err: error },
    "ingestion job failed",
  );
  deps.db.transaction((tx) => {
    const { retryAt } = failJob(tx, job, message, { permanent });
    const document = tx.select().from(documents).where(eq(documents.id, job.documentId)).get();
    // A failed re-embedding leaves the document indexed: its keyword search and old vectors still work.
    if (!document || job.kind === "embed") return;
    setDocumentStatus(tx, document, {
      status: retryAt ? "queued" : "failed",
      statusReason: retryAt
        ? `Try ${job.attempts} of ${MAX_ATTEMPTS} failed (${message}); trying again at ${retryAt.toISOString().slice(11, 19)} UTC.`
        : message,
    });
  });
}
