import { statSync } from "node:fs";
import { Gauge, type Registry } from "prom-client";
import type { AiRuntime } from "../../ai/runtime.ts";
import { type Db, databasePath } from "../../db.ts";
import { countPendingJobs } from "../../knowledge/ingestion/jobs.ts";

export type BoxSources = { db: Db; dataDir: string; ai: AiRuntime };

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * The gauges read at each scrape (never per request): the database and its WAL on disk, the
 * ingestion queue, and the assistant's recent speed and queue.
 */
export function registerBoxGauges(registry: Registry, sources: BoxSources): void {
  const database = databasePath(sources.dataDir);
  const registers = [registry];
  new Gauge({
    name: "opsbox_database_size_bytes",
    help: "Size of the SQLite database file.",
    registers,
    collect() {
      this.set(fileSize(database));
    },
  });
  new Gauge({
    name: "opsbox_database_wal_size_bytes",
    help: "Size of the database's write-ahead log (folded back into the database at checkpoints).",
    registers,
    collect() {
      this.set(fileSize(`${database}-wal`));
    },
  });
  new Gauge({
    name: "opsbox_ingestion_jobs",
    help: "Document ingestion jobs waiting (queued) and being worked (running), all organisations together.",
    labelNames: ["status"],
    registers,
    collect() {
      const counts = countPendingJobs(sources.db);
      this.set({ status: "queued" }, counts.queued);
      this.set({ status: "running" }, counts.running);
    },
  });
  new Gauge({
    name: "opsbox_ai_tokens_per_second",
    help: "Tokens per second of the assistant's recent generations (0 before the first).",
    registers,
    collect() {
      this.set(sources.ai.status?.().recentTokensPerSecond ?? 0);
    },
  });
  new Gauge({
    name: "opsbox_ai_requests",
    help: "Requests to the chat model running and waiting in its queue.",
    labelNames: ["state"],
    registers,
    collect() {
      const queue = sources.ai.status?.().queue ?? { running: 0, waiting: 0 };
      this.set({ state: "running" }, queue.running);
      this.set({ state: "waiting" }, queue.waiting);
    },
  });
}
