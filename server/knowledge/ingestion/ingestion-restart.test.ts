import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { documentChunks, documents, ingestionJobs } from "../../../models/knowledge.ts";
import { closeDatabase, databasePath, openDatabase } from "../../db.ts";
import { makeTempDir } from "../../testing/harness.ts";
import { sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { DocumentJson } from "../schemas.ts";
import { makePdf, uploadAs, waitForDocument } from "../test-kit.ts";

const dataDir = makeTempDir("opsbox-ingest-restart-");
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const longManual = () =>
  makePdf(
    Array.from({ length: 40 }, (_, index) => ({
      heading: `Chapter ${index + 1}`,
      lines: Array.from(
        { length: 30 },
        (_, line) => `Step ${line + 1} of chapter ${index + 1}: check the valve and note the reading.`,
      ),
    })),
  );

function chunksOf(db: ReturnType<typeof openDatabase>, id: string) {
  return db.select().from(documentChunks).where(eq(documentChunks.documentId, id)).all();
}

test("a document being read when the box stops is read to the end after the next start, once", async () => {
  const first = await startInProcessApp({ dataDir });
  const box = await setUpBox(first);
  const cookie = sessionCookie(first, box.adminId, box.orgId);
  const response = await uploadAs(first, cookie, await longManual(), "long-manual.pdf");
  expect(response.status).toBe(202);
  const { id } = (await response.json()) as DocumentJson;
  // Stop at once: the job is queued or mid-way; either way it must survive.
  await first.stop("test: stop mid-ingestion");

  const second = await startInProcessApp({ dataDir });
  try {
    const indexed = await waitForDocument(second, cookie, id);
    expect(indexed).toMatchObject({ status: "indexed", pageCount: 40 });
    const chunks = chunksOf(second.deps.db, id);
    expect(chunks.length).toBe(indexed.chunkCount);
    expect(new Set(chunks.map((chunk) => chunk.ordinal)).size).toBe(chunks.length);
    const jobs = second.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, id)).all();
    expect(jobs.map((job) => job.status)).toEqual(["done"]);
  } finally {
    await second.stop("test finished");
  }
});

test("a job left running by a process that died is taken up again at start", async () => {
  // What a kill -9 mid-job leaves behind: the job running, the document processing, no chunks yet.
  const db = openDatabase(databasePath(dataDir));
  const [document] = db.select().from(documents).all();
  if (!document) throw new Error("the first test made no document");
  db.delete(documentChunks).where(eq(documentChunks.documentId, document.id)).run();
  db.update(documents).set({ status: "processing", chunkCount: 0 }).where(eq(documents.id, document.id)).run();
  db.update(ingestionJobs)
    .set({ status: "running", startedAt: new Date() })
    .where(eq(ingestionJobs.documentId, document.id))
    .run();
  closeDatabase(db);

  const third = await startInProcessApp({ dataDir });
  try {
    const admin = third.deps.db.select().from(documents).get();
    const cookie = sessionCookie(third, admin?.uploadedBy ?? "", document.orgId);
    const indexed = await waitForDocument(third, cookie, document.id);
    expect(indexed.status).toBe("indexed");
    expect(chunksOf(third.deps.db, document.id).length).toBe(indexed.chunkCount);
    const [job] = third.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, document.id)).all();
    expect(job).toMatchObject({ status: "done", attempts: 2 });
    expect(third.logs.some((line) => line.msg === "ingestion jobs interrupted by a stop were queued again")).toBe(true);
  } finally {
    await third.stop("test finished");
  }
});
