import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import { domainEvents } from "../../models/events.ts";
import { documentChunks, documentPages, ingestionJobs } from "../../models/knowledge.ts";
import { apiAs, type Call, errorOf } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import type { DocumentJson } from "./schemas.ts";
import { makePdf, makeScannedPdf, PNG_BYTES, uploadAs, waitForDocument } from "./test-kit.ts";
import { filesDir, storedFilePath } from "./upload/files.ts";

let box: TestApp;
let acme: TestBox;
let adminCookie: string;
let memberCookie: string;
let otherMemberCookie: string;
let viewerCookie: string;
let globexCookie: string;
let admin: Call;
let globex: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const other = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  memberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  otherMemberCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "member" }), acme.orgId);
  viewerCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  globexCookie = sessionCookie(box, other.adminId, other.orgId);
  admin = apiAs(box, adminCookie);
  globex = apiAs(box, globexCookie);
});
afterAll(() => box.close());

async function upload(cookie: string, bytes: Uint8Array | string, name: string, fields = {}): Promise<DocumentJson> {
  const response = await uploadAs(box, cookie, bytes, name, fields);
  expect(response.status).toBe(202);
  return (await response.json()) as DocumentJson;
}

const manual = () =>
  makePdf([
    { heading: "Safety", lines: ["Keep the boiler pressure between 1 and 2 bar.", "Bleed the radiators each autumn."] },
    { heading: "Maintenance", lines: ["Service the burner every twelve months."] },
    { lines: ["Warranty terms: five years on the heat exchanger."] },
  ]);

describe("upload and ingestion", () => {
  test("a PDF answers 202 queued, then is indexed with its pages, chunks per page and headings", async () => {
    const response = await uploadAs(box, memberCookie, await manual(), "boiler-manual.pdf", {
      category: "Manuals",
      tags: "boiler,heating",
    });
    expect(response.status).toBe(202);
    const queued = (await response.json()) as DocumentJson;
    expect(queued).toMatchObject({ kind: "pdf", mediaType: "application/pdf", title: "boiler-manual.pdf" });
    expect(["queued", "processing", "indexed"]).toContain(queued.status);
    expect(response.headers.get("Location")).toBe(`/api/v1/documents/${queued.id}`);
    const indexed = await waitForDocument(box, memberCookie, queued.id);
    expect(indexed).toMatchObject({
      status: "indexed",
      pageCount: 3,
      tags: ["boiler", "heating"],
      category: "Manuals",
    });
    expect(indexed.chunkCount).toBeGreaterThanOrEqual(3);
    const chunks = box.deps.db.select().from(documentChunks).where(eq(documentChunks.documentId, queued.id)).all();
    expect(chunks.map((chunk) => [chunk.page, chunk.heading])).toEqual([
      [1, "Safety"],
      [2, "Maintenance"],
      [3, "Maintenance"],
    ]);
    const pages = await admin("GET", `/api/v1/documents/${queued.id}/pages?from=2&count=2`);
    const body = (await pages.json()) as { data: { page: number; text: string }[] };
    expect(body.data.map((page) => page.page)).toEqual([2, 3]);
    expect(body.data[0]?.text).toContain("Service the burner");
    const types = box.deps.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .where(eq(domainEvents.subjectId, queued.id))
      .all()
      .map((event) => event.type);
    expect(types[0]).toBe("document.created");
    expect(types).toContain("document.status_changed");
    const job = box.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, queued.id)).get();
    expect(job).toMatchObject({ status: "done", attempts: 1, kind: "ingest" });
  });

  test("the same content twice in one organisation is one document (200); another organisation gets its own", async () => {
    const bytes = "Opening hours: 8 to 5.\n\nClosed on public holidays.";
    const first = await upload(memberCookie, bytes, "hours.txt");
    const again = await uploadAs(box, adminCookie, bytes, "renamed.txt");
    expect(again.status).toBe(200);
    expect(((await again.json()) as DocumentJson).id).toBe(first.id);
    const theirs = await uploadAs(box, globexCookie, bytes, "hours.txt");
    expect(theirs.status).toBe(202);
    expect(((await theirs.json()) as DocumentJson).id).not.toBe(first.id);
  });

  test("a PNG named .pdf is 415, and nothing of it is kept", async () => {
    const response = await uploadAs(box, memberCookie, PNG_BYTES, "manual.pdf");
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe("unsupported_media_type");
    expect(readdirSync(join(filesDir(box.dataDir), "tmp"))).toEqual([]);
  });

  test("an upload over the global body limit but under the upload limit is accepted", async () => {
    const big = `${"Pressure valve inspection notes. ".repeat(50_000)}\n`;
    expect(big.length).toBeGreaterThan(box.config.maxBodyBytes);
    const response = await uploadAs(box, memberCookie, big, "notes.txt");
    expect(response.status).toBe(202);
  });

  test("a PDF without a text layer needs OCR, with the reason", async () => {
    const scanned = await upload(memberCookie, await makeScannedPdf(), "scan.pdf");
    const done = await waitForDocument(box, memberCookie, scanned.id);
    expect(done.status).toBe("needs_ocr");
    expect(done.statusReason).toContain("no text layer");
    expect(done.chunkCount).toBe(0);
  });

  test("a broken PDF fails at once with the reason; retry queues it again; an indexed one cannot be retried", async () => {
    const broken = await upload(memberCookie, "%PDF-1.7\nthis is not really a pdf", "broken.pdf");
    const failed = await waitForDocument(box, memberCookie, broken.id);
    expect(failed.status).toBe("failed");
    expect(failed.statusReason).toContain("could not be read");
    const retry = await apiAs(box, memberCookie)("POST", `/api/v1/documents/${broken.id}/retry`);
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as DocumentJson).status).toBe("queued");
    expect((await waitForDocument(box, memberCookie, broken.id)).status).toBe("failed");
    const attempts = box.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, broken.id)).all();
    expect(attempts.map((job) => job.status)).toEqual(["failed", "failed"]);
    const ok = await upload(memberCookie, "Just a note.", "note.txt");
    await waitForDocument(box, memberCookie, ok.id);
    expect((await apiAs(box, memberCookie)("POST", `/api/v1/documents/${ok.id}/retry`)).status).toBe(409);
  });

  test("an e-mail is indexed from its body; its CSV attachment becomes a document of its own, a PNG is left out", async () => {
    const eml = [
      "From: Bob Supplier <bob@supplier.test>",
      "To: office@acme.test",
      "Subject: Price list for spare parts",
      "Date: Mon, 2 Mar 2026 09:00:00 +0000",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Hello, attached is our price list for the burner parts.",
      "--b1",
      'Content-Type: text/csv; name="prices.csv"',
      'Content-Disposition: attachment; filename="prices.csv"',
      "",
      "part,price",
      "nozzle,12.50",
      "gasket,3.20",
      "--b1",
      'Content-Type: image/png; name="logo.png"',
      'Content-Disposition: attachment; filename="logo.png"',
      "Content-Transfer-Encoding: base64",
      "",
      Buffer.from(PNG_BYTES).toString("base64"),
      "--b1--",
      "",
    ].join("\r\n");
    const mail = await upload(memberCookie, eml, "message.eml");
    expect(mail.kind).toBe("email");
    const done = await waitForDocument(box, memberCookie, mail.id);
    expect(done.status).toBe("indexed");
    expect(done.statusReason).toContain("logo.png");
    const list = await admin("GET", "/api/v1/documents?q=prices.csv");
    const [attachment] = ((await list.json()) as { data: DocumentJson[] }).data;
    expect(attachment).toMatchObject({ parentId: mail.id, kind: "csv", fileName: "prices.csv" });
    const csv = await waitForDocument(box, memberCookie, attachment?.id ?? "");
    expect(csv.status).toBe("indexed");
    const chunk = box.deps.db.select().from(documentChunks).where(eq(documentChunks.documentId, csv.id)).get();
    expect(chunk?.text.split("\n")[0]).toBe("part | price");
  });
});

describe("reading, changing, deleting", () => {
  test("the list filters by status, tag, category and text, and pages with a cursor", async () => {
    await upload(memberCookie, "# Fire drill\n\nMeet at the car park.", "fire.md", {
      tags: "safety",
      category: "Policies",
    });
    await upload(memberCookie, "# Leave policy\n\nAsk two weeks ahead.", "leave.md", {
      tags: ["hr"],
      category: "Policies",
    });
    const tagged = (await (await admin("GET", "/api/v1/documents?tag=safety")).json()) as { data: DocumentJson[] };
    expect(tagged.data.map((item) => item.fileName)).toEqual(["fire.md"]);
    const category = (await (await admin("GET", "/api/v1/documents?category=policies&limit=1")).json()) as {
      data: DocumentJson[];
      nextCursor: string | null;
    };
    expect(category.data.map((item) => item.fileName)).toEqual(["leave.md"]);
    const next = (await (
      await admin("GET", `/api/v1/documents?category=policies&limit=1&cursor=${category.nextCursor}`)
    ).json()) as { data: DocumentJson[] };
    expect(next.data.map((item) => item.fileName)).toEqual(["fire.md"]);
    const failed = (await (await admin("GET", "/api/v1/documents?status=failed")).json()) as { data: DocumentJson[] };
    expect(failed.data.every((item) => item.status === "failed")).toBe(true);
    expect((await admin("GET", "/api/v1/documents?status=lost")).status).toBe(422);
  });

  test("PATCH honours If-Match (412 when stale); only the uploader or a manager may change a document", async () => {
    const doc = await upload(memberCookie, "Parking: use bays 4 to 9.", "parking.txt");
    const member = apiAs(box, memberCookie);
    const etag = (await member("GET", `/api/v1/documents/${doc.id}`)).headers.get("ETag") ?? "";
    const changed = await member(
      "PATCH",
      `/api/v1/documents/${doc.id}`,
      { title: "Parking rules" },
      { "If-Match": etag },
    );
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as DocumentJson).title).toBe("Parking rules");
    const stale = await member("PATCH", `/api/v1/documents/${doc.id}`, { title: "Old" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    const someoneElse = await apiAs(box, otherMemberCookie)("PATCH", `/api/v1/documents/${doc.id}`, { title: "Mine" });
    expect(someoneElse.status).toBe(403);
    expect((await apiAs(box, otherMemberCookie)("DELETE", `/api/v1/documents/${doc.id}`)).status).toBe(403);
    const byAdmin = await admin("PATCH", `/api/v1/documents/${doc.id}`, { tags: ["site"], category: "Facilities" });
    expect(((await byAdmin.json()) as DocumentJson).tags).toEqual(["site"]);
  });

  test("links to equipment must be the organisation's, and show as the equipment's manuals", async () => {
    const item = (await (await admin("POST", "/api/v1/equipment", { name: "Boiler 7" })).json()) as { id: string };
    const theirs = (await (await globex("POST", "/api/v1/equipment", { name: "Their boiler" })).json()) as {
      id: string;
    };
    const refused = await uploadAs(box, adminCookie, "Boiler 7 manual text.", "b7.txt", { equipmentIds: theirs.id });
    expect(refused.status).toBe(422);
    expect((await errorOf(refused)).details?.[0]?.path).toBe("equipmentIds.0");
    const doc = await upload(adminCookie, "Boiler 7 manual text.", "b7.txt", {
      equipmentIds: item.id,
      title: "B7 manual",
    });
    expect(doc.equipmentIds).toEqual([item.id]);
    const equipment = (await (await admin("GET", `/api/v1/equipment/${item.id}`)).json()) as { manuals: unknown[] };
    expect(equipment.manuals).toEqual([{ id: doc.id, title: "B7 manual" }]);
    const linked = (await (await admin("GET", `/api/v1/documents?equipmentId=${item.id}`)).json()) as {
      data: DocumentJson[];
    };
    expect(linked.data.map((entry) => entry.id)).toEqual([doc.id]);
  });

  test("the file is served as an attachment with nosniff and a sandboxing CSP", async () => {
    const doc = await upload(
      memberCookie,
      "<!doctype html><title>Menu</title><script>alert(1)</script><p>Soup</p>",
      "menu.html",
    );
    expect(doc.kind).toBe("html");
    const response = await admin("GET", `/api/v1/documents/${doc.id}/file`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toStartWith('attachment; filename="menu.html"');
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toBe("default-src 'none'; sandbox");
    expect(await response.text()).toContain("<p>Soup</p>");
  });

  test("another organisation's document is 404 everywhere; a viewer reads but may not upload (403)", async () => {
    const doc = await upload(memberCookie, "Internal price sheet.", "prices.txt");
    for (const [method, path] of [
      ["GET", `/api/v1/documents/${doc.id}`],
      ["PATCH", `/api/v1/documents/${doc.id}`],
      ["DELETE", `/api/v1/documents/${doc.id}`],
      ["POST", `/api/v1/documents/${doc.id}/retry`],
      ["GET", `/api/v1/documents/${doc.id}/file`],
      ["GET", `/api/v1/documents/${doc.id}/pages`],
    ] as const) {
      const response = await globex(method, path, method === "PATCH" ? { title: "x" } : undefined);
      expect([method, path, response.status]).toEqual([method, path, 404]);
    }
    const listed = (await (await globex("GET", "/api/v1/documents?q=prices.txt")).json()) as { data: unknown[] };
    expect(listed.data).toEqual([]);
    expect((await uploadAs(box, viewerCookie, "Anything.", "a.txt")).status).toBe(403);
    expect((await apiAs(box, viewerCookie)("GET", `/api/v1/documents/${doc.id}`)).status).toBe(200);
  });

  test("DELETE leaves no page, chunk, FTS row, job or file; a file another organisation shares stays", async () => {
    const bytes = await makePdf([{ heading: "Shared", lines: ["Identical bytes in two organisations."] }]);
    const ours = await upload(memberCookie, bytes, "shared.pdf");
    const theirs = await upload(globexCookie, bytes, "shared.pdf");
    await waitForDocument(box, memberCookie, ours.id);
    await waitForDocument(box, globexCookie, theirs.id);
    const chunkIds = box.deps.db
      .select({ id: documentChunks.id })
      .from(documentChunks)
      .where(eq(documentChunks.documentId, ours.id))
      .all()
      .map((row) => row.id);
    expect(chunkIds.length).toBeGreaterThan(0);
    const path = storedFilePath(box.dataDir, ours.sha256);
    expect((await apiAs(box, memberCookie)("DELETE", `/api/v1/documents/${ours.id}`)).status).toBe(204);
    expect((await admin("GET", `/api/v1/documents/${ours.id}`)).status).toBe(404);
    expect(box.deps.db.select().from(documentChunks).where(inArray(documentChunks.id, chunkIds)).all()).toEqual([]);
    expect(box.deps.db.select().from(documentPages).where(eq(documentPages.documentId, ours.id)).all()).toEqual([]);
    expect(box.deps.db.select().from(ingestionJobs).where(eq(ingestionJobs.documentId, ours.id)).all()).toEqual([]);
    const ftsRows = box.deps.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM document_chunks_fts_docsize WHERE id IN (SELECT value FROM json_each(${JSON.stringify(chunkIds)}))`,
    );
    expect(ftsRows[0]?.n).toBe(0);
    expect(existsSync(path)).toBe(true);
    expect((await globex("DELETE", `/api/v1/documents/${theirs.id}`)).status).toBe(204);
    expect(existsSync(path)).toBe(false);
    const deleted = box.deps.db.select().from(domainEvents).where(eq(domainEvents.subjectId, ours.id)).all();
    expect(deleted.at(-1)?.type).toBe("document.deleted");
  });

  test("the OpenAPI document lists the document routes, the upload as multipart", async () => {
    const spec = (await (await box.fetch("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    for (const path of [
      "/api/v1/documents",
      "/api/v1/documents/{id}",
      "/api/v1/documents/{id}/retry",
      "/api/v1/documents/{id}/file",
    ]) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect(Object.keys(spec.paths["/api/v1/documents"]?.post?.requestBody?.content ?? {})).toEqual([
      "multipart/form-data",
    ]);
  });
});

describe("the upload limit", () => {
  let small: TestApp;
  let cookie: string;
  beforeAll(async () => {
    small = await startInProcessApp({ env: { OPSBOX_MAX_UPLOAD_BYTES: "4096" } });
    const setup = await setUpBox(small);
    cookie = sessionCookie(small, setup.adminId, setup.orgId);
  });
  afterAll(() => small.close());

  test("a file over OPSBOX_MAX_UPLOAD_BYTES is 413 payload_too_large, declared length or not", async () => {
    const response = await uploadAs(small, cookie, "x".repeat(5000), "big.txt");
    expect(response.status).toBe(413);
    expect((await errorOf(response)).code).toBe("payload_too_large");
    const huge = await uploadAs(small, cookie, "y".repeat(200_000), "huge.txt");
    expect(huge.status).toBe(413);
    expect((await uploadAs(small, cookie, "A small note.", "ok.txt")).status).toBe(202);
  });
});
