import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { equipment } from "../../../models/work.ts";
import { apiAs, postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { todayUtc } from "../../tools/days.ts";

let box: TestApp;
let acme: TestBox;
let adminCookie: string;
let viewerCookie: string;
let leadCookie: string;
let projectId: string;
let globexItemId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  viewerCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  leadCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "team_lead" }), acme.orgId);
  const admin = apiAs(box, adminCookie);
  projectId = (
    (await (await admin("POST", "/api/v1/projects", { name: "Plant", code: "PLANT" })).json()) as { id: string }
  ).id;
  const globexAdmin = apiAs(box, sessionCookie(box, globex.adminId, globex.orgId));
  globexItemId = ((await (await globexAdmin("POST", "/api/v1/equipment", { name: "Theirs" })).json()) as { id: string })
    .id;
});
afterAll(() => box.close());

function page(path: string, cookie: string) {
  return box.fetch(path, { headers: { Cookie: cookie } });
}

function inDays(days: number): string {
  return todayUtc(new Date(Date.now() + days * 86_400_000));
}

describe("/equipment", () => {
  test("the empty list says what to do next, depending on who looks", async () => {
    expect(await (await page("/equipment", adminCookie)).text()).toContain("Add the first machine");
    const viewerPage = await (await page("/equipment", viewerCookie)).text();
    expect(viewerPage).toContain("A manager or admin adds it.");
    expect(viewerPage).not.toContain('href="/equipment/new"');
  });

  test("a refused form re-renders with 422 and the typed values; a valid one leads to the new item", async () => {
    const typed = {
      name: "Boiler 1",
      type: "Boiler",
      serialNumber: "VT-1",
      purchaseDate: "2025-06-01",
      warrantyEnd: "2025-05-01",
      notes: "Annual service in May",
      projectIds: [projectId],
    };
    const refused = await postForm(box, adminCookie, "/equipment", typed);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("The warranty cannot end before the purchase date.");
    expect(html).toContain('value="VT-1"');
    expect(html).toContain("Annual service in May");
    expect(html).toMatch(new RegExp(`value="${projectId}"[^>]*checked`));

    const created = await postForm(box, adminCookie, "/equipment", { ...typed, warrantyEnd: inDays(10) });
    const location = created.headers.get("HX-Redirect") ?? "";
    expect(location).toMatch(/^\/equipment\/eqp_/);
    const detail = await (await page(location, viewerCookie)).text();
    expect(detail).toContain("Ends in 10 days");
    expect(detail).toContain("No manuals yet.");
    expect(detail).toContain(`/projects/${projectId}`);
  });

  test("the list highlights a warranty ending within 30 days and marks one that has ended", async () => {
    await postForm(box, adminCookie, "/equipment", { name: "Old van", warrantyEnd: inDays(-3) });
    await postForm(box, adminCookie, "/equipment", { name: "New drill", warrantyEnd: inDays(90) });
    const html = await (await page("/equipment", viewerCookie)).text();
    expect(html).toMatch(/warranty-soon[^<]*<span[^>]*>[^<]*<\/span> <strong>Ends in 10 days/);
    expect(html).toContain("warranty-expired");
    expect((html.match(/warranty-soon/g) ?? []).length).toBe(1);
    const filtered = await (await page("/equipment?type=boiler", viewerCookie)).text();
    expect(filtered).toContain("Boiler 1");
    expect(filtered).not.toContain("Old van");
  });

  test("editing keeps typed values on a refusal, and links and unlinks projects", async () => {
    const item = box.deps.db.select().from(equipment).where(eq(equipment.name, "Old van")).get();
    const bad = await postForm(box, adminCookie, `/equipment/${item?.id}`, {
      name: "Old van",
      status: "broken",
      location: "Yard",
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('value="Yard"');
    const linked = await postForm(box, adminCookie, `/equipment/${item?.id}/projects`, { projectId });
    expect(linked.headers.get("HX-Redirect")).toBe(`/equipment/${item?.id}`);
    expect(await (await page(`/projects/${projectId}`, viewerCookie)).text()).toContain("Old van");
    await postForm(box, adminCookie, `/equipment/${item?.id}/projects/${projectId}/remove`, {});
    expect(await (await page(`/projects/${projectId}`, viewerCookie)).text()).not.toContain("Old van");
  });

  test("a team lead gets 403 on the forms; another organisation's equipment is a 404", async () => {
    expect((await page("/equipment/new", leadCookie)).status).toBe(403);
    expect((await postForm(box, leadCookie, "/equipment", { name: "Mine" })).status).toBe(403);
    expect((await page(`/equipment/${globexItemId}`, adminCookie)).status).toBe(404);
    expect((await page(`/equipment/${globexItemId}/edit`, adminCookie)).status).toBe(404);
    expect((await postForm(box, adminCookie, `/equipment/${globexItemId}/delete`, {})).status).toBe(404);
  });
});
