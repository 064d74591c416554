/**
 * A worker thread of vector-workers.ts: scans some shards of a model's sign bits by hamming
 * distance on its own read-only connection to the same database file (WAL lets readers run
 * beside the writer) and answers the candidates' chunk ids. Rescoring stays on the main thread.
 */
import type { Database } from "bun:sqlite";
import { openDatabase } from "../../db.ts";
import { bitCandidateParams, bitCandidatesText } from "../search/vectors.ts";

export type ScanRequest = {
  id: number;
  path: string;
  name: string;
  shards: number[];
  perShard: number;
  orgId: string;
  embedding: Float32Array;
  filter: string | null;
};
export type ScanReply = { id: number; ids: number[] } | { id: number; error: string };

/** Connections are kept a while per database file (a test run opens many); the least recent go first. */
const MAX_CONNECTIONS = 4;
const IDLE_CLOSE_MS = 30_000;
// Memory-mapped reads skip a copy per page of the bit tables (~10% of a scan); read-only, so safe.
const MMAP_BYTES = 2 ** 31 - 2 ** 16;
declare const self: Worker;
const connections = new Map<string, { client: Database; used: number }>();

function connection(path: string): Database {
  const known = connections.get(path);
  if (known) {
    connections.delete(path);
    connections.set(path, known);
    known.used = Date.now();
    return known.client;
  }
  for (const [oldPath, old] of connections) {
    if (connections.size < MAX_CONNECTIONS) break;
    old.client.close();
    connections.delete(oldPath);
  }
  const client = openDatabase(path, { readonly: true }).$client;
  client.run(`PRAGMA mmap_size = ${MMAP_BYTES}`);
  connections.set(path, { client, used: Date.now() });
  return client;
}

/** Closes connections unused for IDLE_CLOSE_MS, on each request rather than on a timer (an idle thread does nothing; the stop terminates it). */
function closeIdleConnections(now: number): void {
  for (const [path, known] of connections) {
    if (now - known.used < IDLE_CLOSE_MS) continue;
    known.client.close();
    connections.delete(path);
  }
}

self.onmessage = (event: MessageEvent<ScanRequest>) => {
  const request = event.data;
  let reply: ScanReply;
  closeIdleConnections(Date.now());
  try {
    const client = connection(request.path);
    // Strict binding counts parameters: ?4 (the filter) is in the text only when there is one.
    const all = bitCandidateParams(request, request);
    const params = request.filter ? all : all.slice(0, 3);
    const rows = client.query<{ id: number }, typeof params>(bitCandidatesText(request, request.shards)).all(...params);
    reply = { id: request.id, ids: rows.map((row) => row.id) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
