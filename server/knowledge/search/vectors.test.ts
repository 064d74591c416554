import { afterEach, beforeEach, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { documents } from "../../../models/knowledge.ts";
import type { Db } from "../../db.ts";
import {
  clusteredVectors,
  insertDocument,
  insertOrganization,
  normalize,
  openSearchTestDb,
  seededRandom,
  vectorClusters,
} from "./search-test-kit.ts";
import {
  deleteChunkVectors,
  dropVectorTablesExcept,
  exactNearestChunks,
  listVectorTables,
  nearestChunks,
  vectorTableName,
  writeChunkVectors,
} from "./vectors.ts";

let db: Db;
let close: () => void;
beforeEach(() => {
  ({ db, close } = openSearchTestDb());
});
afterEach(() => close());

const model = { id: "mdl_test", dimensions: 64 };
const count = (table: string) => db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`))[0]?.n;

function seed(orgId: string, vectors: Float32Array[], dims = model) {
  const { documentId, chunkIds } = insertDocument(db, orgId, {
    chunks: vectors.map((_, n) => ({ text: `chunk ${n}` })),
    embeddingModelId: dims.id,
  });
  writeChunkVectors(
    db,
    dims,
    chunkIds.map((chunkId, n) => ({ chunkId, orgId, embedding: vectors[n] as Float32Array })),
  );
  return { documentId, chunkIds };
}

test("binary prefilter + float rescoring finds ≥ 90% of the exact top 10 on clustered vectors", () => {
  const random = seededRandom(7);
  const dims = { id: "mdl_recall", dimensions: 384 };
  const orgId = insertOrganization(db);
  const source = vectorClusters(random, 384, 40);
  const data = Array.from({ length: 3000 }, () => source.sample());
  db.transaction(() => seed(orgId, data, dims));
  const queries = Array.from({ length: 25 }, () => source.sample());
  let found = 0;
  for (const embedding of queries) {
    const exact = exactNearestChunks(db, dims, { orgId, embedding, limit: 10 }).map((hit) => hit.chunkId);
    const approx = new Set(nearestChunks(db, dims, { orgId, embedding, limit: 10 }).map((hit) => hit.chunkId));
    expect(exact).toHaveLength(10);
    found += exact.filter((id) => approx.has(id)).length;
  }
  expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
});

test("rescored hits come best first with exact cosine distances", () => {
  const orgId = insertOrganization(db);
  const data = clusteredVectors(seededRandom(1), 200, 64, 5);
  const { chunkIds } = seed(orgId, data);
  const hits = nearestChunks(db, model, { orgId, embedding: data[17] as Float32Array, limit: 5 });
  expect(hits[0]?.chunkId).toBe(chunkIds[17] as number);
  expect(hits[0]?.distance).toBeCloseTo(0, 5);
  const distances = hits.map((hit) => hit.distance);
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
});

test("another organisation's chunks are never returned, even with the very same vector", () => {
  const mine = insertOrganization(db, "Mine");
  const theirs = insertOrganization(db, "Theirs");
  const vector = normalize(Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)));
  const other = normalize(Float32Array.from({ length: 64 }, (_, i) => Math.cos(i)));
  const { chunkIds: theirIds } = seed(theirs, [vector]);
  const { chunkIds: myIds } = seed(mine, [other]);
  for (const search of [nearestChunks, exactNearestChunks]) {
    const hits = search(db, model, { orgId: mine, embedding: vector, limit: 10 });
    expect(hits.map((hit) => hit.chunkId)).toEqual(myIds);
    expect(hits.map((hit) => hit.chunkId)).not.toContain(theirIds[0] as number);
  }
});

test("a vector for a chunk of another organisation is refused", () => {
  const mine = insertOrganization(db, "Mine");
  const theirs = insertOrganization(db, "Theirs");
  const { chunkIds } = insertDocument(db, theirs, { chunks: [{ text: "x" }] });
  const embedding = normalize(new Float32Array(64).fill(1));
  expect(() => writeChunkVectors(db, model, [{ chunkId: chunkIds[0] as number, orgId: mine, embedding }])).toThrow(
    /not a chunk of organisation/,
  );
  expect(() => writeChunkVectors(db, model, [{ chunkId: 999_999, orgId: mine, embedding }])).toThrow();
  expect(() =>
    writeChunkVectors(db, model, [{ chunkId: chunkIds[0] as number, orgId: theirs, embedding: new Float32Array(3) }]),
  ).toThrow(/64-wide/);
});

test("writing a chunk's vector again replaces it", () => {
  const orgId = insertOrganization(db);
  const [a, b] = clusteredVectors(seededRandom(2), 2, 64, 2) as [Float32Array, Float32Array];
  const { chunkIds } = seed(orgId, [a]);
  writeChunkVectors(db, model, [{ chunkId: chunkIds[0] as number, orgId, embedding: b }]);
  expect(count(vectorTableName(model))).toBe(1);
  expect(nearestChunks(db, model, { orgId, embedding: b, limit: 1 })[0]?.distance).toBeCloseTo(0, 5);
});

test("chunkIds narrows the vector side to those chunks, exactly when narrow, by prefilter when wide", () => {
  const orgId = insertOrganization(db);
  const source = vectorClusters(seededRandom(3), 64, 4);
  const data = Array.from({ length: 6000 }, () => source.sample());
  const { chunkIds } = db.transaction(() => seed(orgId, data));
  const embedding = data[0] as Float32Array;
  for (const allowed of [chunkIds.slice(3000, 3020), chunkIds.slice(1000)]) {
    const hits = nearestChunks(db, model, { orgId, embedding, limit: 10, chunkIds: allowed });
    expect(hits).toHaveLength(10);
    const inside = new Set(allowed);
    expect(hits.every((hit) => inside.has(hit.chunkId))).toBe(true);
    expect(hits.map((hit) => hit.chunkId)).not.toContain(chunkIds[0] as number);
  }
  expect(nearestChunks(db, model, { orgId, embedding, limit: 5, chunkIds: [] })).toEqual([]);
});

test("deleting a document (or its organisation) leaves no vector behind, in any model's table", () => {
  const orgId = insertOrganization(db);
  const other = { id: "mdl_other", dimensions: 12 };
  const doc = seed(orgId, clusteredVectors(seededRandom(4), 5, 64, 1));
  writeChunkVectors(
    db,
    other,
    doc.chunkIds.map((chunkId) => ({ chunkId, orgId, embedding: normalize(new Float32Array(12).fill(1)) })),
  );
  const kept = seed(orgId, clusteredVectors(seededRandom(5), 3, 64, 1));
  expect(listVectorTables(db).sort()).toEqual([vectorTableName(model), vectorTableName(other)].sort());
  const name = vectorTableName(model);
  expect([count(name), count(`${name}_bits`)]).toEqual([8, 8]);
  db.delete(documents).where(eq(documents.id, doc.documentId)).run();
  expect([count(name), count(`${name}_bits`)]).toEqual([3, 3]);
  expect(count(vectorTableName(other))).toBe(0);
  deleteChunkVectors(db, [kept.chunkIds[0] as number]);
  expect([count(name), count(`${name}_bits`)]).toEqual([2, 2]);
  db.run(sql`DELETE FROM organizations WHERE id = ${orgId}`);
  expect([count(name), count(`${name}_bits`)]).toEqual([0, 0]);
});

test("a width that is not a multiple of 8 is searched by floats alone", () => {
  const orgId = insertOrganization(db);
  const odd = { id: "mdl_odd", dimensions: 12 };
  const data = clusteredVectors(seededRandom(6), 30, 12, 3);
  const { chunkIds } = seed(orgId, data, odd);
  expect(nearestChunks(db, odd, { orgId, embedding: data[4] as Float32Array, limit: 3 })[0]?.chunkId).toBe(
    chunkIds[4] as number,
  );
});

test("old models' tables are dropped once no longer wanted; an unknown model finds nothing", () => {
  const orgId = insertOrganization(db);
  const next = { id: "mdl_next", dimensions: 64 };
  const data = clusteredVectors(seededRandom(9), 3, 64, 1);
  seed(orgId, data);
  seed(orgId, data, next);
  expect(dropVectorTablesExcept(db, [next])).toEqual([vectorTableName(model)]);
  expect(listVectorTables(db)).toEqual([vectorTableName(next)]);
  expect(nearestChunks(db, model, { orgId, embedding: data[0] as Float32Array, limit: 3 })).toEqual([]);
  expect(vectorTableName({ id: "../../etc; DROP TABLE x", dimensions: 64 })).toMatch(/^chunk_vectors_[0-9a-f]{16}$/);
});
