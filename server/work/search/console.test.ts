import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { seedCustomer, seedEquipment, seedInvoice, seedProject, seedTask } from "./search-test-kit.ts";

let box: TestApp;
const cookie: Record<string, string> = {};
const id: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  cookie.admin = sessionCookie(box, acme.adminId, acme.orgId);
  cookie.viewer = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  id.project = seedProject(box, acme.orgId, { code: "BLR", name: "Boiler room", description: "Pipes" });
  id.task = seedTask(box, acme.orgId, {
    title: "Boiler <img src=x onerror=alert(1)>",
    description: "Check the <b>boiler</b> & the \uE000pump\uE001",
  });
  id.equipment = seedEquipment(box, acme.orgId, { name: "Boiler Vitodens", serialNumber: "SN-1" });
  id.customer = seedCustomer(box, acme.orgId, { name: "Boiler Bros" });
  id.invoice = seedInvoice(box, acme.orgId, { number: "INV-0007", customerId: id.customer, notes: "boiler" });
  seedTask(box, globex.orgId, { title: "Boiler at Globex" });
});
afterAll(() => box.close());

async function page(who: string, path: string, headers: Record<string, string> = {}) {
  const response = await box.fetch(path, { headers: { Cookie: cookie[who] ?? "", ...headers } });
  return { status: response.status, html: await response.text() };
}

describe("GET /search", () => {
  test("groups the hits by kind, links each to its page, and never shows another organisation's", async () => {
    const { status, html } = await page("admin", "/search?q=boiler");
    expect(status).toBe(200);
    for (const heading of ["Projects", "Tasks", "Equipment", "Customers", "Invoices"]) {
      expect(html).toContain(`>${heading} <small>(1)</small></h2>`);
    }
    expect(html).toContain(`href="/projects/${id.project}"`);
    expect(html).toContain(`href="/tasks/${id.task}"`);
    expect(html).toContain(`href="/equipment/${id.equipment}"`);
    expect(html).toContain(`href="/customers/${id.customer}/edit"`);
    expect(html).toContain(`href="/invoices/${id.invoice}"`);
    expect(html).not.toContain("Globex");
    expect(html).toContain("5 matches for “boiler”.");
  });

  test("escapes titles and snippets and marks only the matched words, never ones the text pretends to", async () => {
    const { html } = await page("admin", "/search?q=boiler&kind=task");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<b>boiler</b>");
    expect(html).toContain("<mark>Boiler</mark> &lt;img src=x onerror=alert(1)&gt;");
    // Stored text cannot forge a highlight: its private-use characters stay plain text.
    expect(html).toContain("Check the &lt;b&gt;<mark>boiler</mark>&lt;/b&gt; &amp; the \uE000pump\uE001</small>");
  });

  test("a viewer is offered neither customers nor invoices", async () => {
    const { html } = await page("viewer", "/search?q=boiler");
    expect(html).not.toContain("Customers");
    expect(html).not.toContain("Invoices <small>");
    expect(html).not.toContain('value="invoice"');
    const asked = await page("viewer", "/search?q=boiler&kind=invoice");
    expect(asked.html).toContain("3 matches");
  });

  test("says what to do with no query, symbols only, and no match", async () => {
    for (const q of ["", "()*"]) {
      const { status, html } = await page("admin", `/search?q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(html).toContain("Type a word or the start of one");
    }
    const none = await page("admin", "/search?q=zebra");
    expect(none.html).toContain("Nothing matches “zebra”");
  });

  test("takes the header box's `query` like `q`", async () => {
    const { html } = await page("admin", "/search?query=boiler");
    expect(html).toContain("5 matches for “boiler”.");
    expect(html).toContain('name="q" value="boiler"');
  });

  test("answers htmx with the page content only", async () => {
    const { html } = await page("admin", "/search?q=boiler", { "HX-Request": "true" });
    expect(html).not.toContain("<html");
    expect(html).toContain('id="search-results"');
  });
});

describe("GET /search/suggest and the header box", () => {
  test("the best few hits with their kind, and a link to every result", async () => {
    const { status, html } = await page("admin", "/search/suggest?query=boi", { "HX-Request": "true" });
    expect(status).toBe(200);
    expect(html).toContain('<span class="search-kind">Project</span>');
    expect(html).toContain('href="/search?q=boi"');
    expect(html).not.toContain("<html");
  });

  test("nothing for an empty query, so the panel hides", async () => {
    const { html } = await page("admin", "/search/suggest?query=%20", { "HX-Request": "true" });
    expect(html).toBe("");
  });

  test("the layout's header holds the search form for signed-in people only", async () => {
    const signedIn = await page("viewer", "/search");
    expect(signedIn.html).toContain('<search class="header-search"><form method="get" action="/search">');
    expect(signedIn.html).toContain('hx-get="/search/suggest"');
    expect(signedIn.html).toMatch(/\/static\/search\.[0-9a-f]{8}\.js/);
    const signedOut = await box.fetch("/sign-in");
    expect(await signedOut.text()).not.toContain("header-search");
  });

  test("401 or a sign-in redirect when signed out", async () => {
    const response = await box.fetch("/search?q=boiler");
    expect([302, 303, 401]).toContain(response.status);
  });
});
