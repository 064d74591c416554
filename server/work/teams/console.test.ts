import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { teams } from "../../../models/work.ts";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";

let box: TestApp;
let acme: TestBox;
let adminCookie: string;
let leadCookie: string;
let leadId: string;
let memberId: string;
let globexTeamId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  leadId = await createUser(box, { orgId: acme.orgId, role: "team_lead", name: "Leo Lead" });
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Mia Member" });
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  leadCookie = sessionCookie(box, leadId, acme.orgId);
  await postForm(box, sessionCookie(box, globex.adminId, globex.orgId), "/teams", { name: "Globex crew" });
  globexTeamId = box.deps.db.select().from(teams).where(eq(teams.name, "Globex crew")).get()?.id ?? "";
});
afterAll(() => box.close());

function page(path: string, cookie: string) {
  return box.fetch(path, { headers: { Cookie: cookie } });
}

describe("/teams", () => {
  test("the empty list tells managers to create a team and others who sets them up", async () => {
    expect(await (await page("/teams", adminCookie)).text()).toContain('href="/teams/new"');
    const leadView = await (await page("/teams", leadCookie)).text();
    expect(leadView).toContain("A manager or admin sets up teams.");
    expect(leadView).not.toContain('href="/teams/new"');
  });

  test("a refused team re-renders with 422 and what was typed; a valid one is listed with lead and members", async () => {
    const refused = await postForm(box, adminCookie, "/teams", { name: " ", leadId, memberIds: [memberId] });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain("Enter a name.");
    expect(html).toMatch(new RegExp(`<option value="${leadId}" selected`));
    expect(html).toMatch(new RegExp(`value="${memberId}"[^>]*checked`));

    const created = await postForm(box, adminCookie, "/teams", { name: "Field crew", leadId, memberIds: [memberId] });
    expect(created.headers.get("HX-Redirect")).toBe("/teams");
    const list = await (await page("/teams", leadCookie)).text();
    expect(list).toContain("Field crew");
    expect(list).toContain("Mia Member");

    const taken = await postForm(box, adminCookie, "/teams", { name: "field crew" });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("There is already a team called");
  });

  test("a manager edits the team on its page; a reader sees it without the form", async () => {
    const team = box.deps.db.select().from(teams).where(eq(teams.name, "Field crew")).get();
    const edit = await (await page(`/teams/${team?.id}`, adminCookie)).text();
    expect(edit).toContain('id="team-form"');
    const etag = /name="etag" value="([^"]+)"/.exec(edit)?.[1]?.replaceAll("&quot;", '"') ?? "";
    const saved = await postForm(box, adminCookie, `/teams/${team?.id}`, { name: "Field crew A", leadId, etag });
    expect(saved.headers.get("HX-Redirect")).toBe("/teams");
    const stale = await postForm(box, adminCookie, `/teams/${team?.id}`, { name: "Field crew B", etag });
    expect(stale.status).toBe(412);
    expect(await stale.text()).toContain('value="Field crew B"');
    const readOnly = await (await page(`/teams/${team?.id}`, leadCookie)).text();
    expect(readOnly).toContain("Field crew A");
    expect(readOnly).not.toContain('id="team-form"');
  });

  test("a team lead gets 403 on the forms; another organisation's team is a 404", async () => {
    expect((await page("/teams/new", leadCookie)).status).toBe(403);
    expect((await postForm(box, leadCookie, "/teams", { name: "Mine" })).status).toBe(403);
    expect((await page(`/teams/${globexTeamId}`, adminCookie)).status).toBe(404);
    expect((await postForm(box, adminCookie, `/teams/${globexTeamId}/delete`, {})).status).toBe(404);
  });

  test("deleting a team from its page leads back to the list", async () => {
    const team = box.deps.db.select().from(teams).where(eq(teams.name, "Field crew A")).get();
    const deleted = await postForm(box, adminCookie, `/teams/${team?.id}/delete`, {});
    expect(deleted.headers.get("HX-Redirect")).toBe("/teams");
    expect(await (await page("/teams", adminCookie)).text()).not.toContain("Field crew A");
  });
});
