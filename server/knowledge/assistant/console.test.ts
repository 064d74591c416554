import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { apiAs, postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { NOT_IN_DOCUMENTS } from "./answer.ts";
import { seedDocument } from "./test-kit.ts";

let box: TestApp;
let orgId: string;
let adminCookie: string;
let viewerCookie: string;
let globexCookie: string;
let equipmentId: string;
let globexEquipmentId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  orgId = acme.orgId;
  const globex = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, orgId);
  viewerCookie = sessionCookie(box, await createUser(box, { orgId, role: "viewer" }), orgId);
  globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
  equipmentId = (
    (await (await apiAs(box, adminCookie)("POST", "/api/v1/equipment", { name: "Boiler 1" })).json()) as { id: string }
  ).id;
  globexEquipmentId = (
    (await (await apiAs(box, globexCookie)("POST", "/api/v1/equipment", { name: "Theirs" })).json()) as { id: string }
  ).id;
  seedDocument(box, orgId, {
    title: "Boiler manual",
    equipmentId,
    chunks: [{ text: "Keep the boiler pressure between 1.0 and 1.5 bar.", page: 2 }],
  });
});
afterAll(() => box.close());

async function page(cookie: string, path: string): Promise<{ status: number; html: string }> {
  const response = await box.fetch(path, { headers: { Cookie: cookie } });
  return { status: response.status, html: await response.text() };
}

describe("the Ask page", () => {
  test("/ask shows the question form, the stream script and Assistant in the navigation", async () => {
    const { status, html } = await page(viewerCookie, "/ask");
    expect(status).toBe(200);
    expect(html).toContain('<form id="ask-form"');
    expect(html).toContain('name="content"');
    expect(html).toMatch(/\/static\/ask\.[0-9a-f]{8}\.js/);
    expect(html).toMatch(/<a href="\/ask" aria-current="page">Assistant<\/a>/);
    expect(html).toContain('id="ask-stop"');
  });

  test("the equipment page offers 'Ask about this equipment', which opens a conversation scoped to it", async () => {
    const equipment = await page(viewerCookie, `/equipment/${equipmentId}`);
    expect(equipment.html).toContain(`href="/ask?equipmentId=${equipmentId}"`);
    expect(equipment.html).toContain("Ask about this equipment");
    const scoped = await page(viewerCookie, `/ask?equipmentId=${equipmentId}`);
    expect(scoped.html).toContain(`name="equipmentId" value="${equipmentId}"`);
    expect(scoped.html).toContain("manuals of Boiler 1");
    expect((await page(viewerCookie, `/ask?equipmentId=${globexEquipmentId}`)).status).toBe(404);
  });

  test("without script, a question is answered and the conversation shown; it is listed as mine only", async () => {
    const response = await postForm(box, viewerCookie, "/ask", { content: "Where do zebras migrate?" });
    const location = response.headers.get("HX-Redirect") ?? "";
    expect(location).toMatch(/^\/ask\/cnv_/);
    const shown = await page(viewerCookie, location);
    expect(shown.html).toContain(NOT_IN_DOCUMENTS);
    expect(shown.html).toContain("Where do zebras migrate?");
    expect(shown.html).toContain(`action="${location}/messages"`);
    expect((await page(adminCookie, location)).status).toBe(404);
    expect((await page(globexCookie, location)).status).toBe(404);
    expect((await page(adminCookie, "/ask")).html).not.toContain(location);
  });

  test("an empty question re-renders with 422; no chat model shows the message and keeps the question", async () => {
    const empty = await postForm(box, viewerCookie, "/ask", { content: "   " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Ask a question.");
    const refused = await postForm(box, viewerCookie, "/ask", {
      content: "What boiler pressure?",
      equipmentId,
    });
    expect(refused.status).toBe(503);
    const html = await refused.text();
    expect(html).toContain("Settings → AI");
    expect(html).toContain("What boiler pressure?</textarea>");
  });

  test("a conversation can be deleted by its owner only", async () => {
    const created = await postForm(box, viewerCookie, "/ask", { content: "Zebra stripes?" });
    const location = created.headers.get("HX-Redirect") ?? "";
    const foreign = await box.fetch(`${location}/delete`, {
      method: "POST",
      headers: consoleHeaders(box, adminCookie),
    });
    expect(foreign.status).toBe(404);
    const deleted = await box.fetch(`${location}/delete`, {
      method: "POST",
      headers: consoleHeaders(box, viewerCookie),
    });
    expect(deleted.headers.get("HX-Redirect")).toBe("/ask");
    expect((await page(viewerCookie, location)).status).toBe(404);
  });
});
