import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../auth/people/people-test-kit.ts";
import { openSse } from "../events/sse-test-kit.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { documentPageHref } from "../tools/document-links.ts";
import type { DocumentJson } from "./schemas.ts";
import { makePdf, uploadAs, waitForDocument } from "./test-kit.ts";

let box: TestApp;
let memberCookie: string;
let viewerCookie: string;
let globexCookie: string;
let manual: DocumentJson;

beforeAll(async () => {
  box = await startTestApp();
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  memberCookie = sessionCookie(
    box,
    await createUser(box, { orgId: acme.orgId, role: "member", name: "Mo Member" }),
    acme.orgId,
  );
  viewerCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
  const pdf = await makePdf(
    Array.from({ length: 12 }, (_, index) => ({ heading: `Part ${index + 1}`, lines: [`Text of page ${index + 1}.`] })),
  );
  const response = await uploadAs(box, memberCookie, pdf, "manual.pdf", { category: "Manuals" });
  manual = await waitForDocument(box, memberCookie, ((await response.json()) as DocumentJson).id);
});
afterAll(() => box.close());

const page = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie } });

describe("the documents pages", () => {
  test("the list shows documents with their status; uploaders get the drop zone, viewers do not", async () => {
    const html = await (await page("/documents", memberCookie)).text();
    expect(html).toContain('href="/documents" aria-current="page"');
    expect(html).toContain(`href="/documents/${manual.id}"`);
    expect(html).toContain("document-status-indexed");
    expect(html).toContain('id="document-upload"');
    expect(html).toMatch(/data-csrf="[\w-]{20,}"/);
    expect(html).toMatch(/\/static\/documents\.[0-9a-f]{8}\.js/);
    expect(html).toContain('hx-sse:connect="/documents/stream?');
    const viewer = await (await page("/documents", viewerCookie)).text();
    expect(viewer).not.toContain('id="document-upload"');
    const empty = await (await page("/documents?q=nothing-like-this", viewerCookie)).text();
    expect(empty).toContain("Nothing matches these filters.");
  });

  test("a document's page shows its facts and its text by page; a page link opens that page, marked", async () => {
    const html = await (await page(`/documents/${manual.id}`, viewerCookie)).text();
    expect(html).toContain("12 pages, 12 passages indexed");
    expect(html).toContain('id="page-1"');
    expect(html).toContain('id="page-10"');
    expect(html).not.toContain('id="page-11"');
    expect(html).toContain("Mo Member");
    expect(html).not.toContain('id="document-form"');
    const href = documentPageHref(manual.id, 11);
    expect(href).toBe(`/documents/${manual.id}/pages/11#page-11`);
    const at = await (await page(href.split("#")[0] ?? "", viewerCookie)).text();
    expect(at).toContain('id="page-11" class="document-text-page document-text-page-focus"');
    expect(at).toContain("Text of page 12.");
    expect((await page(`/documents/${manual.id}/pages/0`, viewerCookie)).status).toBe(404);
  });

  test("the edit form re-renders with 422 and the typed values; a good save redirects", async () => {
    const refused = await postForm(box, memberCookie, `/documents/${manual.id}`, {
      title: "",
      category: "Kept typed",
      tags: "a, b",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("Enter a title.");
    expect(html).toContain('value="Kept typed"');
    expect(html).toContain('value="a, b"');
    const saved = await postForm(box, memberCookie, `/documents/${manual.id}`, {
      title: "Boiler manual",
      category: "Manuals",
      tags: "boiler",
    });
    expect(saved.headers.get("HX-Redirect")).toBe(`/documents/${manual.id}`);
    expect(await (await page(`/documents/${manual.id}`, viewerCookie)).text()).toContain("Boiler manual");
  });

  test("a viewer may not edit (403); another organisation's document is 404", async () => {
    expect((await postForm(box, viewerCookie, `/documents/${manual.id}`, { title: "x" })).status).toBe(403);
    expect((await page(`/documents/${manual.id}`, globexCookie)).status).toBe(404);
    expect((await postForm(box, globexCookie, `/documents/${manual.id}/delete`, {})).status).toBe(404);
  });

  test("the list's stream sends the list again when a document arrives", async () => {
    const stream = await openSse(box, "/documents/stream", { Cookie: memberCookie });
    try {
      expect(stream.response.headers.get("Content-Type")).toContain("text/event-stream");
      await uploadAs(box, memberCookie, "Holiday rota for the workshop.", "rota.txt");
      const [message] = await stream.waitFor(1, 10_000);
      expect(message?.data).toContain('<hx-partial hx-target="#document-list" hx-swap="outerHTML">');
      expect(message?.data).toContain("rota.txt");
    } finally {
      await stream.close();
    }
  });

  test("delete from the console redirects to the list", async () => {
    const response = await uploadAs(box, memberCookie, "A note to delete.", "delete-me.txt");
    const { id } = (await response.json()) as DocumentJson;
    const deleted = await postForm(box, memberCookie, `/documents/${id}/delete`, {});
    expect(deleted.headers.get("HX-Redirect")).toBe("/documents");
    expect((await page(`/documents/${id}`, memberCookie)).status).toBe(404);
  });
});
