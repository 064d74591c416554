/**
 * Search benchmark (issue 5): seeds synthetic chunks (bench/seed-search.ts: Zipf-worded FTS
 * text, clustered 384-dimension unit vectors, one organisation holding them all) and measures,
 * in process on the seeded SQLite file,
 *   - hybrid search (server/knowledge/search/search.ts searchDocuments: BM25 + binary-prefiltered,
 *     float-rescored KNN, fused by RRF; limit 10) p50/p95, and each side alone;
 *   - recall@10 of the vector side against exact float KNN (sqlite-vec's brute-force scan).
 * The query's embedding is given (no model runs): this times search, not embedding.
 *   bun bench/search.ts [--chunks 100000] [--queries 300] [--recall-queries 50] [--candidates 64,96,160,320]
 *                       [--data DIR (reuse/keep a seeded directory)] [--json]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, openDatabase } from "../server/db.ts";
import { createLogger } from "../server/http/logger.ts";
import { keywordChunkIds, planKeywordQuery } from "../server/knowledge/search/keyword.ts";
import { searchDocuments } from "../server/knowledge/search/search.ts";
import {
  exactNearestChunks,
  MIN_CANDIDATES,
  nearestChunks,
  vectorBlob,
  vectorTableName,
} from "../server/knowledge/search/vectors.ts";
import { migrate } from "../server/migrate.ts";
import { type Corpus, seedSearchCorpus } from "./seed-search.ts";

const { values: flags } = parseArgs({
  options: {
    chunks: { type: "string", default: "100000" },
    queries: { type: "string", default: "300" },
    "recall-queries": { type: "string", default: "50" },
    candidates: { type: "string", default: "64,96,160,320" },
    dimensions: { type: "string", default: "384" },
    clusters: { type: "string" },
    words: { type: "string", default: "40" },
    vocabulary: { type: "string", default: "50000" },
    data: { type: "string" },
    json: { type: "boolean", default: false },
  },
});

const chunks = Number(flags.chunks);
const dimensions = Number(flags.dimensions);
// About 1,000 chunks per topic: neighbours must be told apart inside a cluster, not just between.
const clusters = Number(flags.clusters ?? Math.max(10, Math.round(chunks / 1000)));
// Hamming candidates rescored per search, swept for recall and time (the search itself uses the default).
const candidateCounts = (flags.candidates ?? "").split(",").filter(Boolean).map(Number);
const seedOptions = {
  chunks,
  dimensions,
  clusters,
  wordsPerChunk: Number(flags.words),
  vocabulary: Number(flags.vocabulary),
  seed: 42,
};
const say = (line: string) => {
  if (!flags.json) console.log(line);
};

const dir = flags.data ?? mkdtempSync(join(tmpdir(), "opsbox-search-bench-"));
mkdirSync(dir, { recursive: true });
const file = join(dir, `search-${chunks}.db`);
const fresh = !existsSync(file);
const db = openDatabase(file);
migrate(db);

const seedStart = performance.now();
// A reused file has its data already; seeding again with the same seed rebuilds the same samplers.
const corpus: Corpus = fresh
  ? seedSearchCorpus(db, seedOptions, (done) => {
      if (done % 100_000 === 0 || done === chunks) say(`  seeded ${done.toLocaleString("en")} chunks`);
    })
  : rebuildSamplers();
const seedSeconds = (performance.now() - seedStart) / 1000;
if (fresh) say(`seeded ${chunks.toLocaleString("en")} chunks in ${seedSeconds.toFixed(1)} s`);

function rebuildSamplers(): Corpus {
  // Seeding a throwaway in-memory copy would double the time; instead re-run the seeder's samplers
  // on an empty database of the same shape, which draws the same centroids and words.
  const scratch = openDatabase(":memory:");
  migrate(scratch);
  const samplers = seedSearchCorpus(scratch, { ...seedOptions, chunks: 0 });
  scratch.$client.close();
  const ids = db.$client.query<{ id: string }, []>("SELECT id FROM organizations ORDER BY name").all();
  const bench = ids.map((row) => row.id);
  return { ...samplers, orgId: bench[0] as string, otherOrgId: bench[1] as string };
}

const ctx = { db, orgId: corpus.orgId, log: createLogger("error", { write: () => {} }) };
const ai = {
  embeddingModel: () => ({ id: corpus.model.id, name: "bench", dimensions: corpus.model.dimensions }),
  embed: async () => {
    throw new Error("the bench passes embeddings");
  },
};
const random = mulberry(7);
// Query words: ranks log-uniform over the vocabulary past the 20 commonest words, as typed
// questions mix a few common and rarer words.
const queryText = () =>
  Array.from({ length: 3 }, () => corpus.word(Math.floor(20 * (corpus.vocabulary / 20) ** random()) - 1)).join(" ");
const queries = Array.from({ length: Number(flags.queries) }, () => ({
  q: queryText(),
  embedding: corpus.sampleVector(),
}));

for (const query of queries.slice(0, 20)) await searchDocuments(ctx, ai, { ...query, limit: 10 });

const loadBefore = loadAverage();
const hybrid: number[] = [];
const hybridCpu: number[] = [];
const vectorSide: number[] = [];
const keywordSide: number[] = [];
let keywordMatches = 0;
for (const query of queries) {
  const cpu = process.cpuUsage();
  let t = performance.now();
  const result = await searchDocuments(ctx, ai, { ...query, limit: 10 });
  hybrid.push(performance.now() - t);
  const used = process.cpuUsage(cpu);
  hybridCpu.push((used.user + used.system) / 1000);
  if (result.mode !== "hybrid" || result.hits.length === 0)
    throw new Error(`unexpected answer: ${JSON.stringify(result).slice(0, 200)}`);
  t = performance.now();
  nearestChunks(db, corpus.model, { orgId: corpus.orgId, embedding: query.embedding, limit: 40 });
  vectorSide.push(performance.now() - t);
  t = performance.now();
  keywordMatches += keywordChunkIds(db, corpus.orgId, planKeywordQuery(db, query.q), {}, 40).length;
  keywordSide.push(performance.now() - t);
}

let exactMs = 0;
const recallQueries = queries.slice(0, Number(flags["recall-queries"]));
const exactTop = recallQueries.map((query) => {
  const t = performance.now();
  const exact = exactNearestChunks(db, corpus.model, { orgId: corpus.orgId, embedding: query.embedding, limit: 10 });
  exactMs += performance.now() - t;
  return exact.map((hit) => hit.chunkId);
});
const recallOf = (candidates?: number) => {
  let found = 0;
  const times: number[] = [];
  recallQueries.forEach((query, n) => {
    const t = performance.now();
    const hits = nearestChunks(db, corpus.model, {
      orgId: corpus.orgId,
      embedding: query.embedding,
      limit: 10,
      candidates,
    });
    times.push(performance.now() - t);
    const approx = new Set(hits.map((hit) => hit.chunkId));
    found += (exactTop[n] ?? []).filter((id) => approx.has(id)).length;
  });
  return {
    candidates: candidates ?? MIN_CANDIDATES,
    recallAt10: Number((found / (recallQueries.length * 10)).toFixed(3)),
    ...stats(times),
  };
};
const recall = recallOf().recallAt10;
const sweep = candidateCounts.map(recallOf);

// A calibration for a shared box: sqlite-vec's plain hamming scan of every bit vector (k = 10,
// no partitions), the figure the issue quotes as ~26 ms at 1M on a quiet machine.
const scanTable = `${vectorTableName(corpus.model)}_bits`;
const scanStatement = db.$client.query(
  `SELECT rowid FROM ${scanTable} WHERE bits MATCH vec_quantize_binary(?1) AND k = 10`,
);
const scans: number[] = [];
for (const query of queries.slice(0, 20)) {
  const t = performance.now();
  scanStatement.all(vectorBlob(query.embedding));
  scans.push(performance.now() - t);
}

const results = {
  chunks,
  dimensions,
  clusters,
  wordsPerChunk: seedOptions.wordsPerChunk,
  vocabulary: seedOptions.vocabulary,
  seedSeconds: fresh ? Number(seedSeconds.toFixed(1)) : null,
  queries: queries.length,
  hybrid: stats(hybrid),
  hybridCpu: stats(hybridCpu),
  loadAverage: { before: loadBefore, after: loadAverage() },
  vectorSide: stats(vectorSide),
  keywordSide: stats(keywordSide),
  meanKeywordCandidates: Number((keywordMatches / queries.length).toFixed(1)),
  recallAt10: Number(recall.toFixed(3)),
  recallQueries: recallQueries.length,
  plainBitScan: stats(scans),
  exactScanMeanMs: Number((exactMs / Math.max(1, recallQueries.length)).toFixed(1)),
  candidateSweep: sweep,
  rssMB: Math.round(process.memoryUsage().rss / 1e6),
  databaseMB: Math.round(Bun.file(file).size / 1e6),
  goals: {
    p95Ms: chunks >= 1_000_000 ? 80 : 20,
    recall: 0.9,
  },
};

if (flags.json) console.log(JSON.stringify(results));
else {
  say("");
  say(
    `${chunks.toLocaleString("en")} chunks × ${dimensions} dims, ${clusters} clusters (random centroids + gaussian noise in a 32-dim latent space, randomly mapped to 384 dims, + small noise; not uniform noise), ${seedOptions.wordsPerChunk} Zipf words per chunk`,
  );
  say(
    `hybrid search (limit 10):  p50 ${fmt(results.hybrid.p50)}  p95 ${fmt(results.hybrid.p95)}  (goal p95 < ${results.goals.p95Ms} ms) ${results.hybrid.p95 < results.goals.p95Ms ? "MET" : "NOT MET"}`,
  );
  say(
    `  CPU time per search:     p50 ${fmt(results.hybridCpu.p50)}  p95 ${fmt(results.hybridCpu.p95)}  (the box's load average was ${results.loadAverage.before} → ${results.loadAverage.after} on ${availableParallelism()} cores: others' work inflates wall time)`,
  );
  say(`  vector side (k=40):      p50 ${fmt(results.vectorSide.p50)}  p95 ${fmt(results.vectorSide.p95)}`);
  say(`  keyword side (k=40):     p50 ${fmt(results.keywordSide.p50)}  p95 ${fmt(results.keywordSide.p95)}`);
  say(
    `recall@10 of the vector side vs exact float KNN: ${results.recallAt10} over ${recallQueries.length} queries (goal ≥ 0.90) ${recall >= 0.9 ? "MET" : "NOT MET"}`,
  );
  for (const row of sweep)
    say(
      `  ${String(row.candidates).padStart(4)} hamming candidates rescored: recall@10 ${row.recallAt10}, vector side (k=10) p50 ${fmt(row.p50)}`,
    );
  say(`exact float scan (SQL, all the organisation's vectors): mean ${results.exactScanMeanMs} ms`);
  say(
    `calibration: sqlite-vec's plain hamming scan of all ${chunks.toLocaleString("en")} bit vectors (k=10): p50 ${fmt(results.plainBitScan.p50)} (the issue: ~26 ms at 1M on a quiet box)`,
  );
  say(`database ${results.databaseMB} MB, process RSS ${results.rssMB} MB`);
}

closeDatabase(db);
if (!flags.data) rmSync(dir, { recursive: true, force: true });

function loadAverage(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 1).join("");
  } catch {
    return "?";
  }
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2));
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

function fmt(ms: number): string {
  return `${ms.toFixed(2)} ms`;
}

function mulberry(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
