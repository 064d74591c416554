import { availableParallelism } from "node:os";
import type { Db } from "../../db.ts";
import {
  isMissingVectorTable,
  type NearestInput,
  nearestChunks,
  planNearest,
  rescoreCandidates,
  VECTOR_SHARDS,
  type VectorHit,
  type VectorModel,
} from "../search/vectors.ts";
import type { ScanReply, ScanRequest } from "./vector-worker.ts";

/**
 * The vector side of search on worker threads, so that it runs while the main thread ranks by
 * keywords, and on every core: the 16 shards' hamming scans are split between WORKERS threads
 * (vector-worker.ts, each with a read-only connection to the same file), then the candidates
 * are rescored on the main connection (always by organisation too). Falls back to the
 * in-process nearestChunks for in-memory databases, on one core, or when a worker fails.
 * Workers start on first use, never keep the process alive (unref) and are stopped by
 * stopVectorWorkers (main.ts registers it as a stop hook).
 */

const WORKERS = Math.min(2, availableParallelism());
/** A scan that takes longer than this is answered in process instead (a stuck worker must not hang search). */
const SCAN_TIMEOUT_MS = 5_000;
/** After this many worker failures the process stops trying and searches in process. */
const MAX_FAILURES = 3;

type Pending = { resolve: (ids: number[]) => void; reject: (error: Error) => void };
// Bun's Worker has ref/unref; the DOM's type in this project's lib does not say so.
type BunWorker = Worker & { ref(): void; unref(): void };
type Thread = { worker: BunWorker; pending: Map<number, Pending> };

let threads: Thread[] | null = null;
let failures = 0;
let nextId = 1;

function startThreads(): Thread[] | null {
  if (threads) return threads;
  if (WORKERS < 2 || failures >= MAX_FAILURES) return null;
  try {
    threads = Array.from({ length: WORKERS }, () => {
      const worker = new Worker(new URL("./vector-worker.ts", import.meta.url).href, {
        ref: false,
      }) as BunWorker;
      const thread: Thread = { worker, pending: new Map() };
      worker.onmessage = (event: MessageEvent<ScanReply>) => {
        const reply = event.data;
        const pending = thread.pending.get(reply.id);
        if (!pending) return;
        thread.pending.delete(reply.id);
        if ("error" in reply) pending.reject(new Error(reply.error));
        else pending.resolve(reply.ids);
      };
      worker.onerror = (event) => {
        failures += 1;
        for (const pending of thread.pending.values()) pending.reject(new Error(event.message || "worker error"));
        thread.pending.clear();
        stopVectorWorkers();
      };
      return thread;
    });
  } catch {
    failures += 1;
    stopVectorWorkers();
    return null;
  }
  return threads;
}

/** Stops the worker threads (they start again on the next search). */
export function stopVectorWorkers(): void {
  const stopping = threads;
  threads = null;
  for (const thread of stopping ?? []) {
    for (const pending of thread.pending.values()) pending.reject(new Error("vector workers stopped"));
    thread.pending.clear();
    thread.worker.terminate();
  }
}

function scan(thread: Thread, request: Omit<ScanRequest, "id">): Promise<number[]> {
  const id = nextId++;
  return new Promise<number[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      thread.pending.delete(id);
      if (thread.pending.size === 0) thread.worker.unref();
      reject(new Error("vector scan timed out"));
    }, SCAN_TIMEOUT_MS);
    timer.unref?.();
    const settle = () => {
      clearTimeout(timer);
      if (thread.pending.size === 0) thread.worker.unref();
    };
    // Referenced only while it has work: an idle worker never keeps the process alive, and an
    // unreferenced one answers late (measured: two unreferenced workers took twice as long).
    if (thread.pending.size === 0) thread.worker.ref();
    thread.pending.set(id, {
      resolve: (ids) => {
        settle();
        resolve(ids);
      },
      reject: (error) => {
        settle();
        reject(error);
      },
    });
    thread.worker.postMessage({ id, ...request } satisfies ScanRequest);
  });
}

function databaseFile(db: Db): string | null {
  const file = db.$client.filename;
  return file && file !== ":memory:" && !file.startsWith("file::memory:") ? file : null;
}

/**
 * nearestChunks, with the hamming scans on worker threads. The scans are posted before this
 * returns, so the caller can do other work on the main thread (the keyword side) before awaiting.
 */
export function nearestChunksConcurrent(db: Db, model: VectorModel, input: NearestInput): Promise<VectorHit[]> {
  const plan = planNearest(model, input);
  const path = databaseFile(db);
  const pool = plan.kind === "bits" && path ? startThreads() : null;
  if (plan.kind !== "bits" || !path || !pool) return Promise.resolve(nearestChunks(db, model, input));
  const scans = pool.map((thread, n) =>
    scan(thread, {
      path,
      name: plan.name,
      shards: Array.from({ length: VECTOR_SHARDS }, (_, shard) => shard).filter((shard) => shard % pool.length === n),
      perShard: plan.perShard,
      orgId: input.orgId,
      embedding: input.embedding,
      filter: plan.filter,
    }),
  );
  return Promise.all(scans).then(
    (lists) => rescoreCandidates(db, plan, input, [...new Set(lists.flat())]),
    (error: unknown) => {
      if (isMissingVectorTable(error)) return [];
      if (!(error instanceof Error && error.message === "vector workers stopped")) failures += 1;
      return nearestChunks(db, model, input);
    },
  );
}
