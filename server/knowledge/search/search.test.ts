import { afterEach, beforeEach, expect, test } from "bun:test";
import { documentEquipment, documentProjects } from "../../../models/knowledge.ts";
import { equipment, projects } from "../../../models/work.ts";
import type { Db } from "../../db.ts";
import { newId } from "../../tools/ids.ts";
import { fuseRanks, RRF_K, type SearchAi, searchDocuments } from "./search.ts";
import {
  fakeEmbeddingAi,
  insertDocument,
  insertOrganization,
  normalize,
  openSearchTestDb,
  quietLog,
} from "./search-test-kit.ts";
import { writeChunkVectors } from "./vectors.ts";

let db: Db;
let close: () => void;
let orgId: string;
beforeEach(() => {
  ({ db, close } = openSearchTestDb());
  orgId = insertOrganization(db, "Mine");
});
afterEach(() => close());

const model = { id: "mdl_test", name: "test", dimensions: 8 };
const axis = (n: number) => normalize(Float32Array.from({ length: 8 }, (_, i) => (i === n ? 1 : 0.01)));
const ctxOf = (org: string) => ({ db, orgId: org, log: quietLog });
const search = (ai: SearchAi, q: string, more: Record<string, unknown> = {}, org = orgId) =>
  searchDocuments(ctxOf(org), ai, { q, ...more });

/** A document whose chunks are embedded with the given vectors (by the test model). */
function embedded(org: string, chunks: { text: string; page?: number; vector: Float32Array }[], extra = {}) {
  const doc = insertDocument(db, org, { chunks, embeddingModelId: model.id, ...extra });
  writeChunkVectors(
    db,
    model,
    doc.chunkIds.map((chunkId, n) => ({ chunkId, orgId: org, embedding: chunks[n]?.vector as Float32Array })),
  );
  return doc;
}

test("reciprocal rank fusion adds 1/(60 + rank) per side; agreement wins, ties go to the lower id", () => {
  const fused = fuseRanks([
    [1, 2, 3],
    [3, 4, 1],
  ]);
  expect(fused.map((hit) => hit.id)).toEqual([1, 3, 2, 4]);
  expect(fused[0]?.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 3), 12);
  expect(fused[0]?.ranks).toEqual([1, 3]);
  expect(fused.find((hit) => hit.id === 4)?.ranks).toEqual([null, 2]);
  expect(fuseRanks([[7], [8]]).map((hit) => hit.id)).toEqual([7, 8]);
});

test("without an embedding model, keywords alone rank, and the answer says so", async () => {
  insertDocument(db, orgId, { title: "Boiler manual", chunks: [{ text: "Reset the boiler pressure.", page: 4 }] });
  const result = await search(fakeEmbeddingAi(null), "boiler pressure");
  expect(result.mode).toBe("keyword");
  expect(result.reason).toMatch(/No embedding model/);
  expect(result.hits).toHaveLength(1);
  const [hit] = result.hits;
  expect(hit).toMatchObject({ title: "Boiler manual", page: 4, keywordRank: 1, vectorRank: null, similarity: null });
  expect(hit?.snippetParts.filter((part) => part.match).map((part) => part.text.toLowerCase())).toEqual([
    "boiler",
    "pressure",
  ]);
});

test("hybrid: a chunk only the vectors find is fused in, and one both sides find comes first", async () => {
  const { chunkIds } = embedded(orgId, [
    { text: "Boiler pressure should read 1.5 bar.", vector: axis(0) },
    { text: "Warranty terms for the heating unit.", vector: axis(1) },
    { text: "Unrelated chat about lunch.", vector: axis(5) },
  ]);
  const ai = fakeEmbeddingAi(
    model,
    new Map([["boiler heating", normalize(Float32Array.from(axis(1), (x, i) => x + (i === 0 ? 0.9 : 0)))]]),
  );
  const result = await search(ai, "boiler heating");
  expect(result.mode).toBe("hybrid");
  expect(result.reason).toBeUndefined();
  const ids = result.hits.map((hit) => hit.chunkId);
  expect(ids.slice(0, 2).sort()).toEqual([chunkIds[0], chunkIds[1]].sort() as number[]);
  const warranty = result.hits.find((hit) => hit.chunkId === chunkIds[1]);
  expect(warranty?.vectorRank).toBe(1);
  expect(warranty?.similarity).toBeGreaterThan(0.5);
  expect(warranty?.snippet).toContain("heating");
  // Chunk 2 matches no word, but every embedded chunk is a vector candidate: it is last.
  expect(ids.at(-1)).toBe(chunkIds[2] as number);
  expect(result.hits.at(-1)?.keywordRank).toBeNull();
  expect(result.hits.at(-1)?.snippet).toBe("Unrelated chat about lunch.");
  expect(ai.calls).toBe(1);
});

test("documents the current model has not embedded yet are ranked by keywords, and the answer says how many", async () => {
  embedded(orgId, [{ text: "Boiler pressure", vector: axis(0) }]);
  insertDocument(db, orgId, { chunks: [{ text: "Boiler service log" }], embeddingModelId: "mdl_old" });
  const partial = await search(fakeEmbeddingAi(model), "boiler");
  expect(partial.mode).toBe("hybrid");
  expect(partial.reason).toBe(
    "1 of 2 documents are not embedded by the current model yet; they are ranked by keywords alone.",
  );
  expect(partial.hits).toHaveLength(2);

  const other = { ...model, id: "mdl_new" };
  const none = await search(fakeEmbeddingAi(other), "boiler");
  expect(none.mode).toBe("keyword");
  expect(none.reason).toMatch(/still being embedded/);
  expect(none.hits).toHaveLength(2);
});

test("an embedding failure falls back to keywords and says so", async () => {
  embedded(orgId, [{ text: "Boiler pressure", vector: axis(0) }]);
  const ai = {
    embeddingModel: () => model,
    embed: async () => {
      throw new Error("queue full");
    },
  };
  const result = await search(ai, "boiler");
  expect(result).toMatchObject({ mode: "keyword", reason: expect.stringMatching(/could not be used/) });
  expect(result.hits).toHaveLength(1);
});

test("another organisation's chunks are never returned, even with the same words and the same vector", async () => {
  const theirs = insertOrganization(db, "Theirs");
  const vector = axis(2);
  const their = embedded(theirs, [{ text: "Secret boiler pressure procedure", vector }]);
  const mine = embedded(orgId, [{ text: "Our fence paint", vector: axis(6) }]);
  const ai = fakeEmbeddingAi(model, new Map([["secret boiler pressure procedure", vector]]));
  const result = await search(ai, "secret boiler pressure procedure");
  expect(result.hits.map((hit) => hit.chunkId)).toEqual(mine.chunkIds);
  const scoped = await search(ai, "secret boiler", { documentIds: [their.documentId] });
  expect(scoped.hits).toEqual([]);
  const theirsSees = await search(ai, "secret boiler", {}, theirs);
  expect(theirsSees.hits.map((hit) => hit.documentId)).toEqual([their.documentId]);
});

test("filters narrow both sides: category, tag, equipment, project and documentIds", async () => {
  const pump = newId("eqp");
  const project = newId("prj");
  db.insert(equipment).values({ id: pump, orgId, name: "Pump" }).run();
  db.insert(projects).values({ id: project, orgId, name: "Fit-out", code: "FIT" }).run();
  const manual = embedded(orgId, [{ text: "Pump seal replacement", vector: axis(0) }], {
    category: "manual",
    tags: ["pumps", "seals"],
  });
  const contract = embedded(orgId, [{ text: "Pump service contract", vector: axis(0) }], { category: "contract" });
  db.insert(documentEquipment).values({ documentId: manual.documentId, equipmentId: pump, orgId }).run();
  db.insert(documentProjects).values({ documentId: contract.documentId, projectId: project, orgId }).run();
  const ai = fakeEmbeddingAi(model, new Map([["pump", axis(0)]]));
  const docs = async (more: Record<string, unknown>) =>
    (await search(ai, "pump", more)).hits.map((hit) => hit.documentId);
  expect((await docs({})).sort()).toEqual([manual.documentId, contract.documentId].sort());
  expect(await docs({ category: "manual" })).toEqual([manual.documentId]);
  expect(await docs({ tag: "seals" })).toEqual([manual.documentId]);
  expect(await docs({ tag: "seal" })).toEqual([]);
  expect(await docs({ equipmentId: pump })).toEqual([manual.documentId]);
  expect(await docs({ projectId: project })).toEqual([contract.documentId]);
  expect(await docs({ documentIds: [contract.documentId] })).toEqual([contract.documentId]);
  expect(await docs({ category: "manual", projectId: project })).toEqual([]);
});

test("query text is never FTS5 syntax: quotes, operators, column filters and unicode are plain words", async () => {
  insertDocument(db, orgId, {
    chunks: [
      { text: 'The "NEAR" setting and AND/OR switches: text column* ^caret' },
      { text: "Café crème at the Müller site; naïve résumé" },
      { text: "東京 office manual" },
    ],
  });
  const ai = fakeEmbeddingAi(null);
  const queries = [
    '"',
    '""',
    "NEAR(",
    "AND",
    "OR NOT",
    "text:",
    "column*",
    "^caret",
    "-x",
    "a'b\"c",
    "(",
    "*",
    "🔥",
    "\u0000",
  ];
  for (const q of queries) {
    const result = await search(ai, q);
    expect([q, Array.isArray(result.hits)]).toEqual([q, true]);
  }
  expect((await search(ai, "AND")).hits).toHaveLength(1);
  expect((await search(ai, "text: column*")).hits).toHaveLength(1);
  expect((await search(ai, "cafe muller")).hits[0]?.snippet).toContain("Café");
  expect((await search(ai, "MÜLLER")).hits).toHaveLength(1);
  expect((await search(ai, "Cafe\u0301")).hits).toHaveLength(1);
  expect((await search(ai, "東京")).hits).toHaveLength(1);
  expect((await search(ai, "   ")).hits).toEqual([]);
  expect((await search(ai, "caf", { prefixLast: true })).hits).toHaveLength(1);
  expect((await search(ai, "caf")).hits).toEqual([]);
});

test("limit caps the hits; snippets are plain text whatever the document holds", async () => {
  insertDocument(db, orgId, {
    chunks: Array.from({ length: 30 }, (_, n) => ({
      text: `<script>alert(${n})</script> boiler note ${n}`,
      page: n + 1,
    })),
  });
  const result = await search(fakeEmbeddingAi(null), "boiler", { limit: 5 });
  expect(result.hits).toHaveLength(5);
  expect(result.hits[0]?.snippet).toContain("<script>");
  expect(result.hits.every((hit) => hit.snippetParts.some((part) => part.match && part.text === "boiler"))).toBe(true);
  expect((await search(fakeEmbeddingAi(null), "boiler", { limit: 500 })).hits).toHaveLength(30);
});
