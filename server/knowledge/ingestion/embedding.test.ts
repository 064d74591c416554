import { afterAll, expect } from "bun:test";
import { rmSync } from "node:fs";
import { eq, sql } from "drizzle-orm";
import { documentChunks, documents, ingestionJobs } from "../../../models/knowledge.ts";
import { makeTempDir, type TestApp } from "../../testing/harness.ts";
import { sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testModelEnv, testModelPath, testWith } from "../../testing/test-model.ts";
import type { DocumentJson } from "../schemas.ts";
import { listVectorTables, vectorTableName, writeChunkVectors } from "../search/vectors.ts";
import { uploadAs, waitForDocument } from "../test-kit.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const text = Array.from(
  { length: 12 },
  (_, index) => `Section ${index + 1}. The pump must be primed before it starts, and the filter is cleaned monthly.`,
).join("\n\n");

/** Vectors stored for these chunks, in every model's table (server/knowledge/search/vectors.ts keys them by chunk id). */
function vectorCount(box: TestApp, chunkIds: number[]): number {
  let count = 0;
  for (const name of listVectorTables(box.deps.db)) {
    const rows = box.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM ${sql.raw(name)} WHERE chunk_id IN (SELECT value FROM json_each(${JSON.stringify(chunkIds)}))`,
    );
    count += rows[0]?.n ?? 0;
  }
  return count;
}

function chunkIdsOf(box: TestApp, documentId: string): number[] {
  return box.deps.db
    .select({ id: documentChunks.id })
    .from(documentChunks)
    .where(eq(documentChunks.documentId, documentId))
    .all()
    .map((row) => row.id);
}

testWith(
  "model",
  "with an embedding model, chunks get their vectors in the same write; deleting the document removes them",
  async () => {
    const dir = makeTempDir("opsbox-embed-");
    dirs.push(dir);
    const box = await startInProcessApp({ dataDir: dir, env: testModelEnv(testModelPath() ?? "") });
    try {
      const setup = await setUpBox(box);
      const cookie = sessionCookie(box, setup.adminId, setup.orgId);
      const response = await uploadAs(box, cookie, text, "pump.txt");
      const { id } = (await response.json()) as DocumentJson;
      const indexed = await waitForDocument(box, cookie, id, ["indexed", "failed"], 60_000);
      expect(indexed.status).toBe("indexed");
      const model = box.deps.ai.embeddingModel();
      expect(model?.dimensions).toBe(64);
      expect(indexed.embeddingModelId).toBe(model?.id ?? "");
      const chunkIds = chunkIdsOf(box, id);
      expect(vectorCount(box, chunkIds)).toBe(indexed.chunkCount);
      const deleted = await box.fetch(`/api/v1/documents/${id}`, {
        method: "DELETE",
        headers: { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" },
      });
      expect(deleted.status).toBe(204);
      expect(vectorCount(box, chunkIds)).toBe(0);
    } finally {
      await box.stop("test finished");
    }
  },
  120_000,
);

testWith(
  "model",
  "documents indexed before there was an embedding model are embedded in the background once there is one",
  async () => {
    const dir = makeTempDir("opsbox-reembed-");
    dirs.push(dir);
    const before = await startInProcessApp({ dataDir: dir });
    const setup = await setUpBox(before);
    const cookie = sessionCookie(before, setup.adminId, setup.orgId);
    const { id } = (await (await uploadAs(before, cookie, text, "pump.txt")).json()) as DocumentJson;
    const keywordOnly = await waitForDocument(before, cookie, id);
    expect(keywordOnly).toMatchObject({ status: "indexed", embeddingModelId: null });
    const chunkIds = chunkIdsOf(before, id);
    await before.stop("test: an admin installs an embedding model");

    const after = await startInProcessApp({ dataDir: dir, env: testModelEnv(testModelPath() ?? "") });
    try {
      const modelId = after.deps.ai.embeddingModel()?.id;
      const deadline = Date.now() + 60_000;
      let current: DocumentJson | null = null;
      while (Date.now() < deadline) {
        current = await waitForDocument(after, cookie, id);
        if (current.embeddingModelId === modelId) break;
        await Bun.sleep(50);
      }
      expect(current?.embeddingModelId).toBe(modelId ?? "");
      // The chunks (and so their FTS rows) are the same ones: keyword search never lost them.
      expect(chunkIdsOf(after, id)).toEqual(chunkIds);
      expect(vectorCount(after, chunkIds)).toBe(chunkIds.length);
      const jobs = after.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, id)).all();
      expect(jobs.map((job) => [job.kind, job.status])).toEqual([
        ["ingest", "done"],
        ["embed", "done"],
      ]);
    } finally {
      await after.stop("test finished");
    }
  },
  120_000,
);

testWith(
  "model",
  "after a switch of embedding model, the old model's vectors are dropped once every document has new ones",
  async () => {
    const dir = makeTempDir("opsbox-retire-");
    dirs.push(dir);
    const before = await startInProcessApp({ dataDir: dir });
    const setup = await setUpBox(before);
    const cookie = sessionCookie(before, setup.adminId, setup.orgId);
    const { id } = (await (await uploadAs(before, cookie, text, "pump.txt")).json()) as DocumentJson;
    await waitForDocument(before, cookie, id);
    // The document as an earlier embedding model left it: that model's vectors, and its id.
    const old = { id: "mdl_retired", dimensions: 64 };
    const chunkIds = chunkIdsOf(before, id);
    before.deps.db.transaction((tx) => {
      writeChunkVectors(
        tx,
        old,
        chunkIds.map((chunkId) => ({ chunkId, orgId: setup.orgId, embedding: new Float32Array(64).fill(0.125) })),
      );
      tx.update(documents).set({ embeddingModelId: old.id }).where(eq(documents.id, id)).run();
    });
    expect(listVectorTables(before.deps.db)).toEqual([vectorTableName(old)]);
    await before.stop("test: an admin chooses another embedding model");

    const after = await startInProcessApp({ dataDir: dir, env: testModelEnv(testModelPath() ?? "") });
    try {
      const model = after.deps.ai.embeddingModel();
      if (!model) throw new Error("no embedding model");
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && listVectorTables(after.deps.db).includes(vectorTableName(old))) {
        await Bun.sleep(50);
      }
      expect(listVectorTables(after.deps.db)).toEqual([vectorTableName(model)]);
      expect((await waitForDocument(after, cookie, id)).embeddingModelId).toBe(model.id);
      expect(vectorCount(after, chunkIds)).toBe(chunkIds.length);
    } finally {
      await after.stop("test finished");
    }
  },
  120_000,
);
