import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customRoles } from "../../../models/identity.ts";
import { documentEquipment, documentProjects } from "../../../models/knowledge.ts";
import { equipment, projects } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { testModelEnv, testModelPath, testWith } from "../../testing/test-model.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import { newId } from "../../tools/ids.ts";
import type { DocumentSectionJson } from "./search-section.ts";
import { insertDocument } from "./search-test-kit.ts";
import { writeChunkVectors } from "./vectors.ts";

type Body = { data: { kind: string }[]; documents?: DocumentSectionJson; error?: { code: string } };

let box: TestApp;
let acme = "";
const cookies = { member: "", noRead: "", globex: "" };
const ids = { pump: "", project: "", globexPump: "", manual: "", contract: "" };

beforeAll(async () => {
  box = await startInProcessApp();
  const setup = await setUpBox(box);
  acme = setup.orgId;
  const globex = await createOrganization(box, "Globex");
  cookies.member = sessionCookie(box, await createUser(box, { orgId: acme, role: "member" }), acme);
  cookies.globex = sessionCookie(box, globex.adminId, globex.orgId);
  const roleId = newId("rol");
  box.deps.db
    .insert(customRoles)
    .values({ id: roleId, orgId: acme, name: "Assistant only", permissions: ["assistant.ask"] })
    .run();
  cookies.noRead = sessionCookie(box, await createUser(box, { orgId: acme, role: roleId }), acme);

  const db = box.deps.db;
  ids.pump = newId("eqp");
  ids.project = newId("prj");
  ids.globexPump = newId("eqp");
  db.insert(equipment).values({ id: ids.pump, orgId: acme, name: "Pump" }).run();
  db.insert(equipment).values({ id: ids.globexPump, orgId: globex.orgId, name: "Pump" }).run();
  db.insert(projects).values({ id: ids.project, orgId: acme, name: "Fit-out", code: "FIT" }).run();
  ids.manual = insertDocument(db, acme, {
    title: "Pump manual",
    category: "manual",
    tags: ["pumps"],
    chunks: [
      { text: "Introduction to the unit.", page: 1 },
      { text: "To prime the pump, open the bleed valve.", page: 7, heading: "Priming" },
    ],
  }).documentId;
  ids.contract = insertDocument(db, acme, {
    title: "Service contract",
    category: "contract",
    chunks: [{ text: "The pump is serviced twice a year.", page: 2 }],
  }).documentId;
  db.insert(documentEquipment).values({ documentId: ids.manual, equipmentId: ids.pump, orgId: acme }).run();
  db.insert(documentProjects).values({ documentId: ids.contract, projectId: ids.project, orgId: acme }).run();
  // Globex's pump documents use the same words: none may reach Acme.
  for (let n = 0; n < 20; n++) {
    insertDocument(db, globex.orgId, { title: `Globex pump ${n}`, chunks: [{ text: "pump pump prime pump valve" }] });
  }
});
afterAll(() => box.close());

async function search(who: keyof typeof cookies, params: Record<string, string>) {
  const response = await box.fetch(`/api/v1/search?${new URLSearchParams(params)}`, {
    headers: { Cookie: cookies[who] },
  });
  return { status: response.status, body: (await response.json()) as Body };
}

describe("GET /api/v1/search: documents", () => {
  test("passages come with document, page, snippet, score and a link to the page; keyword-only is said", async () => {
    const { status, body } = await search("member", { q: "prime pump" });
    expect(status).toBe(200);
    expect(body.data).toEqual([]);
    const documents = body.documents as DocumentSectionJson;
    expect(documents.mode).toBe("keyword");
    expect(documents.reason).toMatch(/No embedding model/);
    const [first] = documents.data;
    expect(first).toMatchObject({
      documentId: ids.manual,
      title: "Pump manual",
      page: 7,
      heading: "Priming",
      keywordRank: 1,
      vectorRank: null,
      similarity: null,
      url: documentPageHref(ids.manual, 7),
    });
    expect(first?.snippet).toContain("prime the pump");
    expect(first?.score).toBeGreaterThan(0);
    expect(documents.data.map((hit) => hit.documentId)).not.toContain(undefined);
    expect(new Set(documents.data.map((hit) => hit.documentId))).toEqual(new Set([ids.manual, ids.contract]));
  });

  test("document filters: category, tag, equipment, project; another organisation's equipment finds nothing", async () => {
    const docs = async (params: Record<string, string>) =>
      ((await search("member", { q: "pump", ...params })).body.documents?.data ?? []).map((hit) => hit.documentId);
    expect(await docs({ category: "contract" })).toEqual([ids.contract]);
    expect(await docs({ tag: "pumps" })).toEqual([ids.manual]);
    expect(await docs({ equipmentId: ids.pump })).toEqual([ids.manual]);
    expect(await docs({ projectId: ids.project })).toEqual([ids.contract]);
    expect(await docs({ equipmentId: ids.globexPump })).toEqual([]);
    expect(await docs({ category: "" })).toHaveLength(2);
  });

  test("kinds picks the parts: document alone, or no documents at all", async () => {
    const only = await search("member", { q: "pump", kinds: "document" });
    expect(only.body.data).toEqual([]);
    expect(only.body.documents?.data.length).toBe(2);
    const tasks = await search("member", { q: "pump", kinds: "task,equipment" });
    expect(tasks.body.documents).toBeUndefined();
    expect(tasks.body.data.map((hit) => hit.kind)).toEqual(["equipment"]);
  });

  test("another organisation never sees Acme's passages, nor Acme theirs", async () => {
    const globex = await search("globex", { q: "prime pump valve" });
    expect(globex.body.documents?.data).toHaveLength(20);
    expect(globex.body.documents?.data.map((hit) => hit.documentId)).not.toContain(ids.manual);
    const acmeView = await search("member", { q: "valve", limit: "50" });
    expect(acmeView.body.documents?.data.map((hit) => hit.documentId)).toEqual([ids.manual]);
  });

  test("hostile text never breaks it; empty text has no documents part; 422 for an over-long filter", async () => {
    for (const q of ['"', "NEAR(pump", "pump*", "pump OR", "-pump", "title:pump", "🔥"]) {
      const { status, body } = await search("member", { q });
      expect([q, status, Array.isArray(body.documents?.data ?? [])]).toEqual([q, 200, true]);
    }
    expect((await search("member", { q: "\u0000" })).status).toBe(422);
    expect((await search("member", { q: "" })).body).toEqual({ data: [] });
    const long = await search("member", { q: "pump", category: "x".repeat(101) });
    expect(long.status).toBe(422);
    expect(long.body.error?.code).toBe("validation_failed");
  });

  test("401 signed out, 403 without workspace.read", async () => {
    expect((await box.fetch("/api/v1/search?q=pump")).status).toBe(401);
    const { status, body } = await search("noRead", { q: "pump" });
    expect(status).toBe(403);
    expect(body.error?.code).toBe("forbidden");
  });
});

describe("GET /api/v1/search: documents with the real embedding model", () => {
  testWith(
    "model",
    "chunks embedded by the current model are searched by vectors too (hybrid, no reason)",
    async () => {
      const modelBox = await startInProcessApp({ env: testModelEnv(testModelPath() ?? "") });
      try {
        const setup = await setUpBox(modelBox);
        const cookie = sessionCookie(modelBox, setup.adminId, setup.orgId);
        const model = modelBox.deps.ai.embeddingModel();
        expect(model?.dimensions).toBe(64);
        if (!model) return;
        const texts = ["The pump is primed through the bleed valve.", "Invoices are paid within thirty days."];
        const doc = insertDocument(modelBox.deps.db, setup.orgId, {
          chunks: texts.map((text) => ({ text })),
          embeddingModelId: model.id,
        });
        const vectors = await modelBox.deps.ai.embed(texts);
        writeChunkVectors(
          modelBox.deps.db,
          model,
          doc.chunkIds.map((chunkId, n) => ({ chunkId, orgId: setup.orgId, embedding: vectors[n] as Float32Array })),
        );
        const response = await modelBox.fetch(
          `/api/v1/search?${new URLSearchParams({ q: "bleed valve", kinds: "document" })}`,
          {
            headers: { Cookie: cookie },
          },
        );
        const body = (await response.json()) as Body;
        expect(body.documents?.mode).toBe("hybrid");
        expect(body.documents?.reason).toBeUndefined();
        // Both chunks are vector candidates (every embedded chunk is); only one has the words.
        const hits = body.documents?.data ?? [];
        expect(hits).toHaveLength(2);
        expect(hits.every((hit) => hit.vectorRank !== null && hit.similarity !== null)).toBe(true);
        expect(hits.filter((hit) => hit.keywordRank !== null).map((hit) => hit.chunkId)).toEqual(
          doc.chunkIds.slice(0, 1),
        );
      } finally {
        await modelBox.close();
      }
    },
    60_000,
  );
});
