import { afterAll, beforeAll, describe, expect } from "bun:test";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { documents, ingestionJobs } from "../../models/knowledge.ts";
import { apiAs } from "../auth/people/people-test-kit.ts";
import { queueReembedding } from "../knowledge/ingestion/reembed.ts";
import { insertDocument } from "../knowledge/search/search-test-kit.ts";
import { runCli } from "../testing/cli.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";

/*
 * `opsbox models use <id> --for embedding` runs in a process of its own: it queues the
 * re-embedding in ingestion_jobs, and the running server's worker (here the test app's) takes
 * the jobs from there, without being told.
 */

const _CLI = join(import.meta.dir, "..", "cli.ts");
let box: TestApp;
let modelId = "";
let acmeDoc = "";
let globexDoc = "";

beforeAll(async () => {
  // No OPSBOX_EMBEDDING_MODEL: the admin's (here the CLI's) choice is what serves embeddings.
  box = await startTestApp({ env: { OPSBOX_AI_THREADS: "1" } });
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  acmeDoc = insertDocument(box.deps.db, acme.orgId, { chunks: [{ text: "Boiler pressure 1.5 bar." }] }).documentId;
  globexDoc = insertDocument(box.deps.db, globex.orgId, { chunks: [{ text: "Fence paint." }] }).documentId;
  const path = testModelPath();
  if (!path) return;
  const admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
  modelId = ((await (await admin("POST", "/api/v1/ai/models", { path })).json()) as { id: string }).id;
});
afterAll(() => box.close());

const opsbox = (...args: string[]) => runCli(["models", ...args], { OPSBOX_DATA_DIR: box.dataDir });

const embeddedWith = (documentId: string) =>
  box.deps.db.select().from(documents).where(eq(documents.id, documentId)).get()?.embeddingModelId ?? null;

describe("choosing the embedding model from the CLI", () => {
  testWith(
    "model",
    "queues every organisation's documents, and the running server re-embeds them",
    async () => {
      const used = await opsbox("use", modelId, "--for", "embedding");
      expect(used.code).toBe(0);
      expect(used.stdout).toContain(`${modelId} now serves embedding.`);
      expect(used.stdout).toContain("2 document(s) queued for re-embedding");

      // The job runtime looks at the queue every second; nothing woke it.
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && (embeddedWith(acmeDoc) !== modelId || embeddedWith(globexDoc) !== modelId)) {
        await Bun.sleep(100);
      }
      expect([embeddedWith(acmeDoc), embeddedWith(globexDoc)]).toEqual([modelId, modelId]);
      const jobs = box.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.kind, "embed")).all();
      expect(jobs.map((job) => job.status)).toEqual(["done", "done"]);

      // Up to date: choosing none and the same model again queues nothing new.
      expect((await opsbox("use", "none", "--for", "embedding")).stdout).not.toContain("queued");
      expect((await opsbox("use", modelId, "--for", "embedding")).stdout).toContain("No document needs re-embedding.");
    },
    40_000,
  );

  testWith("model", "queueReembedding() queues a document once while its job waits", () => {
    const other = "mdl_other";
    const first = queueReembedding(box.deps.db, other);
    expect(first).toBe(2);
    expect(queueReembedding(box.deps.db, other)).toBe(0);
    const waiting = box.deps.db
      .select()
      .from(ingestionJobs)
      .where(and(eq(ingestionJobs.kind, "embed"), eq(ingestionJobs.status, "queued")))
      .all();
    expect(waiting.map((job) => job.documentId).sort()).toEqual([acmeDoc, globexDoc].sort());
    // Leave no work behind for the worker: these jobs were only counted.
    box.deps.db.delete(ingestionJobs).where(eq(ingestionJobs.status, "queued")).run();
  });
});
