import { eq } from "drizzle-orm";
import { documents, type IngestionJob } from "../../../models/knowledge.ts";
import type { AiRuntime } from "../../ai/runtime.ts";
import type { Db } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import type { JobDefinition, RunContext } from "../../jobs/definition.ts";
import { ExtractionError } from "../extract/types.ts";
import { setDocumentStatus } from "../record.ts";
import { clearStagedFiles } from "../upload/files.ts";
import { type IngestDeps, ingestDocument } from "./ingest.ts";
import {
  claimNextJob,
  countDueJobs,
  failJob,
  listWaitingOrganizations,
  MAX_ATTEMPTS,
  releaseJob,
  requeueInterruptedJobs,
} from "./jobs.ts";
import { dropRetiredVectorTables, reembedDocument, scheduleReembedding } from "./reembed.ts";

/** The stable id of the ingestion queue's job on the job runtime. */
export const INGESTION_JOB = "knowledge.ingestion";

/** A run stops taking documents after this long, so that other organisations get their turn. */
const SLICE_MS = 10 * 60_000;

type Deps = {
  db: Db;
  log: Logger;
  config: { dataDir: string; maxUploadBytes: number };
  ai?: AiRuntime;
  /** Told of each document read into search (main.ts wires the Document inbox agent to it); a throw is only logged. */
  onIngested?: (orgId: string, documentId: string) => void;
};

/**
 * The ingestion queue (ingestion_jobs) as a job of the runtime: when documents wait, a run per
 * organisation reads them into search one after another, oldest first across the box, with one
 * run at a time for the whole box (reading is CPU-bound and the box has few cores). Uploads and
 * the mail inbox wake it at once (wake.ts); a document whose try failed waits out its back-off
 * in the queue. Cancelling a run marks the document in hand failed; a stop puts it back unspent.
 */
export function ingestionJob(deps: Deps): JobDefinition {
  return {
    id: INGESTION_JOB,
    title: "Document ingestion",
    description:
      "Reads uploaded documents into search (text, chunks, vectors) and re-embeds them when the embedding model changes, one document at a time for the whole box, as soon as they arrive.",
    scope: "organization",
    schedule: { event: true },
    exclusive: true,
    timeoutMs: 60 * 60_000,
    history: "notable",
    waiting: () => listWaitingOrganizations(deps.db),
    run: (ctx) => {
      if (!deps.ai || !ctx.orgId) throw new Error("Ingestion runs only in the server, per organisation.");
      const ingest: IngestDeps = {
        db: deps.db,
        dataDir: deps.config.dataDir,
        ai: deps.ai,
        log: ctx.logger,
        maxUploadBytes: deps.config.maxUploadBytes,
      };
      return readWaitingDocuments(ingest, ctx, ctx.orgId, deps.onIngested);
    },
  };
}

/**
 * What a stopped or crashed process left: jobs it was running go back to the queue, half-written
 * staged files go, and documents indexed for an older embedding model are queued for re-embedding.
 * main.ts calls it before the job runtime starts.
 */
export function prepareIngestion(deps: Required<Omit<Deps, "onIngested">>): void {
  const requeued = requeueInterruptedJobs(deps.db);
  if (requeued > 0) deps.log.info({ jobs: requeued }, "ingestion jobs interrupted by a stop were queued again");
  clearStagedFiles(deps.config.dataDir);
  scheduleReembedding(deps);
}

async function readWaitingDocuments(deps: IngestDeps, ctx: RunContext, orgId: string, onIngested: Deps["onIngested"]) {
  const began = Date.now();
  const read: string[] = [];
  let failed = 0;
  while (!ctx.stopping.aborted && Date.now() - began < SLICE_MS) {
    const job = claimNextJob(deps.db, orgId);
    if (!job) break;
    const title = deps.db
      .select({ title: documents.title })
      .from(documents)
      .where(eq(documents.id, job.documentId))
      .get()?.title;
    const done = read.length + failed;
    const of = done + 1 + countDueJobs(deps.db, orgId);
    const verb = job.kind === "ingest" ? "Reading" : "Re-embedding";
    ctx.progress((100 * done) / of, `${verb} '${title ?? job.documentId}' (${done + 1} of ${of})`);
    if (await runJob(deps, job, ctx)) {
      read.push(title ?? job.documentId);
      if (job.kind === "ingest") tell(deps, onIngested, orgId, job.documentId);
    } else failed++;
  }
  if (read.length === 0 && failed === 0) return undefined;
  const names = read.length <= 3 ? read.map((name) => `'${name}'`).join(", ") : `${read.length} documents`;
  const parts = [read.length > 0 ? `Read ${names}` : null, failed > 0 ? `${failed} failed or will be retried` : null];
  return {
    summary: `${parts.filter(Boolean).join("; ")}.`,
    links: [{ label: "Documents", href: "/documents" }],
  };
}

function tell(deps: IngestDeps, onIngested: Deps["onIngested"], orgId: string, documentId: string): void {
  try {
    onIngested?.(orgId, documentId);
  } catch (error) {
    deps.log.warn({ err: error, documentId }, "could not tell that a document finished ingesting");
  }
}

/** One queued job; true when it is done. An abort puts it back (stop) or fails it (cancel, timeout), then rethrows. */
async function runJob(deps: IngestDeps, job: IngestionJob, ctx: RunContext): Promise<boolean> {
  const started = performance.now();
  try {
    if (job.kind === "ingest") await ingestDocument(deps, job, ctx.signal);
    else await reembedDocument(deps, job, ctx.signal);
    deps.log.info(
      { jobId: job.id, documentId: job.documentId, kind: job.kind, ms: Math.round(performance.now() - started) },
      "ingestion job done",
    );
  } catch (error) {
    const why = ctx.abortedBy();
    if (why === "shutdown") {
      deps.db.transaction((tx) => releaseJob(tx, job));
      deps.log.info({ jobId: job.id }, "ingestion job interrupted by the stop; it runs again at the next start");
      throw error;
    }
    if (why === "cancel") {
      recordFailure(deps, job, new ExtractionError("Reading was cancelled by an admin."));
      throw error;
    }
    recordFailure(deps, job, why === "timeout" ? new Error("Reading took too long.") : error);
    if (why) throw error;
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
