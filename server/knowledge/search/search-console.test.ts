import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { documentEquipment } from "../../../models/knowledge.ts";
import { equipment } from "../../../models/work.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { documentPageHref } from "../../tools/document-links.ts";
import { newId } from "../../tools/ids.ts";
import { seedTask } from "../../work/search/search-test-kit.ts";
import { insertDocument } from "./search-test-kit.ts";

let box: TestApp;
const cookie = { viewer: "", globex: "" };
const ids = { manual: "", hostile: "", pump: "" };

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  cookie.viewer = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  cookie.globex = sessionCookie(box, globex.adminId, globex.orgId);
  const db = box.deps.db;
  ids.pump = newId("eqp");
  db.insert(equipment).values({ id: ids.pump, orgId: acme.orgId, name: "Feed pump P-7" }).run();
  ids.manual = insertDocument(db, acme.orgId, {
    title: "Boiler manual",
    category: "manual",
    tags: ["heating"],
    chunks: [{ text: "Bleed the boiler radiators before winter.", page: 12, heading: "Maintenance" }],
  }).documentId;
  ids.hostile = insertDocument(db, acme.orgId, {
    title: 'Boiler <img src=x onerror="alert(1)">',
    category: "policy",
    chunks: [{ text: "The boiler <script>alert(2)</script> \uE000fake\uE001 mark", page: 3 }],
  }).documentId;
  db.insert(documentEquipment).values({ documentId: ids.manual, equipmentId: ids.pump, orgId: acme.orgId }).run();
  seedTask(box, acme.orgId, { title: "Service the boiler" });
  insertDocument(db, globex.orgId, { title: "Globex boiler secrets", chunks: [{ text: "boiler boiler" }] });
});
afterAll(() => box.close());

async function page(who: keyof typeof cookie, path: string, headers: Record<string, string> = {}) {
  const response = await box.fetch(path, { headers: { Cookie: cookie[who], ...headers } });
  return { status: response.status, html: await response.text() };
}

describe("GET /search: documents", () => {
  test("a Documents section after the workspace's, each passage linking to its document at its page", async () => {
    const { status, html } = await page("viewer", "/search?q=boiler");
    expect(status).toBe(200);
    expect(html).toContain(">Tasks <small>(1)</small></h2>");
    expect(html).toContain(">Documents <small>(2)</small></h2>");
    expect(html.indexOf(">Tasks <small>")).toBeLessThan(html.indexOf(">Documents <small>"));
    expect(html).toContain(`href="${documentPageHref(ids.manual, 12)}"`);
    expect(html).toContain('<span class="document-hit-page">page 12</span>');
    expect(html).toContain('<small class="document-hit-heading">Maintenance</small>');
    expect(html).toContain("Bleed the <mark>boiler</mark> radiators before winter.");
    expect(html).toMatch(/score 0\.\d{4}/);
    expect(html).not.toContain("Globex");
  });

  test("without an embedding model the page says the ranking is by keywords alone", async () => {
    const { html } = await page("viewer", "/search?q=boiler&kind=document");
    expect(html).toContain('<p class="search-mode-note" role="note"><strong>Keyword ranking only. </strong>');
    expect(html).toContain("No embedding model is installed");
    expect(html).not.toContain(">Tasks <small>");
    expect(html).toContain('<option value="document" selected="">Documents</option>');
  });

  test("document text and titles are escaped; a document cannot forge a highlight", async () => {
    const { html } = await page("viewer", "/search?q=boiler&kind=document");
    expect(html).not.toContain("<script>alert(2)");
    expect(html).not.toContain('<img src=x onerror="alert(1)">');
    expect(html).toContain("Boiler &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt; \uE000fake\uE001 mark");
  });

  test("the form offers the filters the documents use, keeps what was chosen, and they narrow the passages", async () => {
    const filtered = await page("viewer", `/search?q=boiler&kind=document&equipmentId=${ids.pump}`);
    expect(filtered.html).toContain('<details class="document-filters" open="">');
    expect(filtered.html).toContain(`<option value="${ids.pump}" selected="">Feed pump P-7</option>`);
    expect(filtered.html).toContain('<option value="manual"></option>');
    expect(filtered.html).toContain('<option value="heating"></option>');
    expect(filtered.html).toContain(">Documents <small>(1)</small></h2>");
    const policy = await page("viewer", "/search?q=boiler&kind=document&category=policy");
    expect(policy.html).toContain(`href="${documentPageHref(ids.hostile, 3)}"`);
    expect(policy.html).toContain('name="category" value="policy"');
    const none = await page("viewer", "/search?q=boiler&kind=document&tag=nothing");
    expect(none.html).toContain("Nothing matches “boiler” in documents");
    expect(none.html).toContain("No embedding model is installed");
  });

  test("another organisation sees only its own documents; htmx gets the fragment", async () => {
    const { html } = await page("globex", "/search?q=boiler", { "HX-Request": "true" });
    expect(html).not.toContain("<html");
    expect(html).toContain("Globex boiler secrets");
    expect(html).not.toContain("Boiler manual");
    expect(html).not.toContain("Feed pump");
  });
});
