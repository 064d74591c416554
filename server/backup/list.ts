import { type LitestreamJob, litestreamError, parseTable, runLitestream } from "./litestream-run.ts";

export type Snapshot = { replica: string; generation: string; index: number; sizeBytes: number; createdAt: string };
export type Generation = { replica: string; generation: string; start: string; end: string };
export type BackupListing = { generations: Generation[]; snapshots: Snapshot[] };

/** Every generation and snapshot on every replica (`litestream generations`, `litestream snapshots`). */
export async function listBackups(job: LitestreamJob): Promise<BackupListing> {
  const generations = await runLitestream(job, "generations", []);
  if (generations.code !== 0) throw new Error(litestreamError(generations));
  const snapshots = await runLitestream(job, "snapshots", []);
  if (snapshots.code !== 0) throw new Error(litestreamError(snapshots));
  return {
    generations: parseTable(generations.stdout).map((row) => ({
      replica: row.name ?? "",
      generation: row.generation ?? "",
      start: row.start ?? "",
      end: row.end ?? "",
    })),
    snapshots: parseTable(snapshots.stdout).map((row) => ({
      replica: row.replica ?? "",
      generation: row.generation ?? "",
      index: Number(row.index),
      sizeBytes: Number(row.size),
      createdAt: row.created ?? "",
    })),
  };
}
