import { rmSync } from "node:fs";
import { join } from "node:path";
import { organizations } from "../../../models/identity.ts";
import { documentChunks, documents } from "../../../models/knowledge.ts";
import { compliancePresets } from "../../../models/security-policy.ts";
import type { EmbeddingModelInfo } from "../../ai/runtime.ts";
import { closeDatabase, type Db, openDatabase } from "../../db.ts";
import { createLogger } from "../../http/logger.ts";
import { migrate } from "../../migrate.ts";
import { makeTempDir } from "../../testing/harness.ts";
import { newId } from "../../tools/ids.ts";
import type { SearchAi } from "./search.ts";

/** A migrated database in a temporary directory, for search tests that need no server. */
export function openSearchTestDb(): { db: Db; close: () => void } {
  const dir = makeTempDir("opsbox-search-");
  const db = openDatabase(join(dir, "opsbox.db"));
  migrate(db);
  return {
    db,
    close: () => {
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function insertOrganization(db: Db, name = "Acme"): string {
  const id = newId("org");
  db.insert(organizations)
    .values({ id, name, industry: "general", complianceLevel: "basic", policy: compliancePresets.basic.policy })
    .run();
  return id;
}

export type TestChunk = { text: string; page?: number; heading?: string };

/** An indexed document with its chunks (the FTS rows follow by trigger); returns its id and chunk ids. */
export function insertDocument(
  db: Db,
  orgId: string,
  input: {
    title?: string;
    category?: string;
    tags?: string[];
    chunks: TestChunk[];
    embeddingModelId?: string | null;
  },
): { documentId: string; chunkIds: number[] } {
  const documentId = newId("doc");
  db.insert(documents)
    .values({
      id: documentId,
      orgId,
      title: input.title ?? "Manual",
      category: input.category ?? null,
      tags: input.tags ?? [],
      sha256: crypto.randomUUID().replaceAll("-", ""),
      fileName: "manual.txt",
      kind: "text",
      mediaType: "text/plain",
      sizeBytes: 1,
      status: "indexed",
      chunkCount: input.chunks.length,
      embeddingModelId: input.embeddingModelId ?? null,
    })
    .run();
  const rows = db
    .insert(documentChunks)
    .values(
      input.chunks.map((chunk, ordinal) => ({
        orgId,
        documentId,
        ordinal,
        page: chunk.page ?? 1,
        heading: chunk.heading ?? "",
        text: chunk.text,
        tokenCount: chunk.text.split(/\s+/).length,
      })),
    )
    .returning({ id: documentChunks.id })
    .all();
  return { documentId, chunkIds: rows.map((row) => row.id) };
}

/** A seeded random number generator (mulberry32), so synthetic vectors are the same every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal sample (Box–Muller). */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random());
}

export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}

/**
 * A source of clustered unit vectors shaped like text embeddings: `clusters` random centroids
 * in a `latent`-dimension space (topics), each sample a centroid plus gaussian noise of
 * `spread` there, mapped into `dimensions` by one fixed random matrix, plus a little isotropic
 * noise. Real embeddings have a low intrinsic dimension; isotropic noise in all 384 dimensions
 * (or uniform noise) makes every vector almost equidistant from every other, so "the" nearest
 * neighbours would be chance and recall meaningless. Data and queries must come from the same
 * source (the same centroids and matrix).
 */
export function vectorClusters(
  random: () => number,
  dimensions: number,
  clusters: number,
  options: { latent?: number; spread?: number; noise?: number } = {},
): { sample: () => Float32Array } {
  const latent = options.latent ?? 32;
  const spread = options.spread ?? 0.6;
  const noise = options.noise ?? 0.1;
  const scale = 1 / Math.sqrt(latent);
  const matrix = Float32Array.from({ length: dimensions * latent }, () => gaussian(random) * scale);
  const centroids = Array.from({ length: clusters }, () =>
    Float32Array.from({ length: latent }, () => gaussian(random)),
  );
  const z = new Float32Array(latent);
  return {
    sample: () => {
      const centroid = centroids[Math.floor(random() * clusters)] as Float32Array;
      for (let j = 0; j < latent; j++) z[j] = (centroid[j] ?? 0) + spread * gaussian(random);
      const vector = new Float32Array(dimensions);
      for (let i = 0; i < dimensions; i++) {
        let sum = 0;
        const row = i * latent;
        for (let j = 0; j < latent; j++) sum += (matrix[row + j] ?? 0) * (z[j] ?? 0);
        vector[i] = sum + noise * gaussian(random);
      }
      return normalize(vector);
    },
  };
}

/** `count` samples of a fresh vectorClusters source. */
export function clusteredVectors(
  random: () => number,
  count: number,
  dimensions: number,
  clusters: number,
): Float32Array[] {
  const source = vectorClusters(random, dimensions, clusters);
  return Array.from({ length: count }, () => source.sample());
}

/**
 * An embedding "model" for tests that embeds by a lookup table of known texts (anything else
 * gets a fixed vector), so vector ranking is decided by the test, never by a real model.
 */
export function fakeEmbeddingAi(
  model: EmbeddingModelInfo | null,
  vectors: Map<string, Float32Array> = new Map(),
): SearchAi & { calls: number } {
  const fallback = normalize(Float32Array.from({ length: model?.dimensions ?? 8 }, (_, i) => (i % 2 ? 1 : -1)));
  const ai = {
    calls: 0,
    embeddingModel: () => model,
    embed: async (texts: string[]) => {
      ai.calls++;
      return texts.map((text) => vectors.get(text) ?? fallback);
    },
  };
  return ai;
}

export const quietLog = createLogger("error", { write: () => {} });
