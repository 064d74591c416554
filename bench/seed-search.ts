/**
 * Seeds a database for the search benchmark (bench/search.ts): one big organisation holding
 * `chunks` document chunks (100 per document), each with synthetic text (words drawn from a
 * Zipf-distributed vocabulary, so some words are everywhere and most are rare, as in real text)
 * and a 384-dimension unit vector drawn from clustered data (random centroids + gaussian noise;
 * uniform noise would make every vector equidistant and recall meaningless), plus a small
 * second organisation whose chunks share the same vectors (to keep the organisation filter honest).
 * Writes through prepared statements, one transaction per 10,000 chunks, with synchronous=OFF
 * while seeding (a benchmark's scratch database; the shipped setting is FULL).
 */
import type { Database } from "bun:sqlite";
import type { Db } from "../server/db.ts";
import { insertOrganization, seededRandom, vectorClusters } from "../server/knowledge/search/search-test-kit.ts";
import {
  ensureVectorTable,
  VECTOR_SHARDS,
  type VectorModel,
  vectorTableName,
} from "../server/knowledge/search/vectors.ts";
import { newId } from "../server/tools/ids.ts";

export const CHUNKS_PER_DOCUMENT = 100;
const BATCH = 10_000;
const CATEGORIES = ["manual", "contract", "policy", "invoice", "report"];
const SYLLABLES = "ka ri to me na su lo vi pe da ge mo ba ni ru ho fa ze ti lu ko sa ve po".split(" ");

export type SeedOptions = {
  chunks: number;
  dimensions: number;
  clusters: number;
  wordsPerChunk: number;
  vocabulary: number;
  seed: number;
};

export type Corpus = {
  orgId: string;
  otherOrgId: string;
  model: VectorModel;
  /** Draws a fresh vector from the same clusters as the data (a query). */
  sampleVector: () => Float32Array;
  /** Draws a word from the vocabulary by rank (0 = the most frequent). */
  word: (rank: number) => string;
  vocabulary: number;
};

/** Pronounceable, distinct words: rank n written in base-24 syllables. */
function makeWord(rank: number): string {
  let n = rank;
  let word = "";
  do {
    word += SYLLABLES[n % SYLLABLES.length];
    n = Math.floor(n / SYLLABLES.length);
  } while (n > 0);
  return word;
}

/** A sampler of ranks with P(rank r) ∝ 1 / (r + 1) (Zipf, s = 1), by binary search over the CDF. */
function zipfSampler(size: number, random: () => number): () => number {
  const cdf = new Float64Array(size);
  let total = 0;
  for (let r = 0; r < size; r++) {
    total += 1 / (r + 1);
    cdf[r] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((cdf[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return low;
  };
}

export function seedSearchCorpus(db: Db, options: SeedOptions, onProgress?: (done: number) => void): Corpus {
  const client: Database = db.$client;
  const random = seededRandom(options.seed);
  const source = vectorClusters(random, options.dimensions, options.clusters);
  const words = Array.from({ length: options.vocabulary }, (_, rank) => makeWord(rank));
  const zipf = zipfSampler(options.vocabulary, random);
  const model: VectorModel = { id: "mdl_bench", dimensions: options.dimensions };
  const orgId = insertOrganization(db, "Bench");
  const otherOrgId = insertOrganization(db, "Other");
  ensureVectorTable(db, model);
  const table = vectorTableName(model);

  client.run("PRAGMA synchronous = OFF");
  const insertDocument = client.prepare(
    `INSERT INTO documents (id, org_id, title, category, tags, sha256, file_name, kind, media_type, size_bytes,
       status, page_count, chunk_count, embedding_model_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'pdf', 'application/pdf', 1, 'indexed', ?, ?, ?)`,
  );
  const insertChunk = client.prepare(
    `INSERT INTO document_chunks (org_id, document_id, ordinal, page, heading, text, token_count)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  // The same rows writeChunkVectors writes, minus its per-row checks (the bench made the chunk a line earlier).
  const insertFloats = client.prepare(`INSERT INTO ${table} (chunk_id, org_id, embedding) VALUES (?, ?, ?)`);
  const insertBits = client.prepare(
    `INSERT INTO ${table}_bits (rowid, org_id, shard, bits) VALUES (?, ?, ?, vec_quantize_binary(?))`,
  );
  const insertVector = (chunkId: number, org: string, vector: Float32Array) => {
    insertFloats.run(chunkId, org, vector);
    insertBits.run(chunkId, org, chunkId % VECTOR_SHARDS, vector);
  };
  const sentence = (count: number) => {
    const parts: string[] = [];
    for (let i = 0; i < count; i++) parts.push(words[zipf()] as string);
    return parts.join(" ");
  };

  const otherEvery = 100; // 1% of chunks also go to the other organisation
  let documentId = "";
  let otherDocumentId = "";
  for (let start = 0; start < options.chunks; start += BATCH) {
    const end = Math.min(options.chunks, start + BATCH);
    client.transaction(() => {
      for (let n = start; n < end; n++) {
        const ordinal = n % CHUNKS_PER_DOCUMENT;
        if (ordinal === 0) {
          documentId = newId("doc");
          const category = CATEGORIES[(n / CHUNKS_PER_DOCUMENT) % CATEGORIES.length] as string;
          const tags = JSON.stringify([`tag${(n / CHUNKS_PER_DOCUMENT) % 20}`]);
          insertDocument.run(documentId, orgId, `Doc ${n}`, category, tags, newId("doc"), "d.pdf", 10, 100, model.id);
          if (n % (otherEvery * CHUNKS_PER_DOCUMENT) === 0) {
            otherDocumentId = newId("doc");
            insertDocument.run(
              otherDocumentId,
              otherOrgId,
              `Other ${n}`,
              category,
              tags,
              newId("doc"),
              "o.pdf",
              10,
              100,
              model.id,
            );
          }
        }
        const vector = source.sample();
        const text = sentence(options.wordsPerChunk);
        const heading = sentence(3);
        const page = 1 + Math.floor(ordinal / 10);
        const row = insertChunk.get(orgId, documentId, ordinal, page, heading, text, options.wordsPerChunk) as {
          id: number;
        };
        insertVector(row.id, orgId, vector);
        if (n % otherEvery === 0) {
          const other = insertChunk.get(otherOrgId, otherDocumentId, n, page, heading, text, options.wordsPerChunk) as {
            id: number;
          };
          insertVector(other.id, otherOrgId, vector);
        }
      }
    })();
    onProgress?.(end);
  }
  client.run("PRAGMA synchronous = FULL");
  client.run("PRAGMA wal_checkpoint(TRUNCATE)");
  return {
    orgId,
    otherOrgId,
    model,
    sampleVector: source.sample,
    word: (rank) => words[rank] as string,
    vocabulary: options.vocabulary,
  };
}
