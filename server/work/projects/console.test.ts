import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { projects } from "../../../models/work.ts";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import {
  consoleHeaders,
  createOrganization,
  createUser,
  sessionCookie,
  setUpBox,
  type TestBox,
} from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";

let box: TestApp;
let acme: TestBox;
let adminCookie: string;
let viewerCookie: string;
let leadCookie: string;
let memberId: string;
let globexProjectId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  const globex = await createOrganization(box, "Globex");
  memberId = await createUser(box, { orgId: acme.orgId, role: "member", name: "Mia Member" });
  adminCookie = sessionCookie(box, acme.adminId, acme.orgId);
  viewerCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "viewer" }), acme.orgId);
  leadCookie = sessionCookie(box, await createUser(box, { orgId: acme.orgId, role: "team_lead" }), acme.orgId);
  const globexCookie = sessionCookie(box, globex.adminId, globex.orgId);
  const created = await postForm(box, globexCookie, "/projects", { name: "Secret", code: "SECRET" });
  globexProjectId = new URL(created.headers.get("HX-Redirect") ?? "", box.url).pathname.split("/")[2] ?? "";
});
afterAll(() => box.close());

function page(path: string, cookie: string) {
  return box.fetch(path, { headers: { Cookie: cookie } });
}

describe("/projects", () => {
  test("an empty organisation's list says how to start, and only managers see “New project”", async () => {
    const adminPage = await (await page("/projects", adminCookie)).text();
    expect(adminPage).toContain("No projects yet.");
    expect(adminPage).toContain('href="/projects/new"');
    const viewerPage = await (await page("/projects", viewerCookie)).text();
    expect(viewerPage).toContain("A manager or admin creates projects");
    expect(viewerPage).not.toContain('href="/projects/new"');
  });

  test("creating from the form redirects to the new project; a refusal re-renders with 422 and the typed values", async () => {
    const refused = await postForm(box, adminCookie, "/projects", {
      name: "Kitchen refit",
      code: "kit chen",
      description: "Replace the units",
      ownerId: acme.adminId,
      memberIds: [memberId],
      startDate: "2026-05-01",
      targetDate: "2026-04-01",
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toContain('value="Kitchen refit"');
    expect(html).toContain('value="kit chen"');
    expect(html).toContain("Replace the units");
    expect(html).toMatch(/name="code"[^>]*aria-invalid="true"/);
    expect(html).toMatch(new RegExp(`value="${memberId}"[^>]*checked`));

    const created = await postForm(box, adminCookie, "/projects", {
      name: "Kitchen refit",
      code: "kitchen",
      ownerId: acme.adminId,
      memberIds: [memberId],
      startDate: "2026-04-01",
      targetDate: "2026-05-01",
      template: "Client project",
    });
    expect(created.status).toBe(200);
    const location = created.headers.get("HX-Redirect") ?? "";
    expect(location).toMatch(/^\/projects\/prj_/);
    const overview = await (await page(location, viewerCookie)).text();
    expect(overview).toContain("Kitchen refit");
    expect(overview).toContain("0 of 4 tasks done (0%)");
    expect(overview).toContain("Mia Member");
    const id = location.split("/")[2];
    expect(overview).toContain(`href="/tasks?projectId=${id}"`);
    expect(overview).toContain(`href="/tasks/board?projectId=${id}"`);
    expect(overview).not.toContain(`/projects/${id}/edit`);

    const duplicate = await postForm(box, adminCookie, "/projects", { name: "Again", code: "KITCHEN" });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain("already used");
  });

  test("editing keeps the typed values on a refusal and refuses a stale edit with 412", async () => {
    const record = box.deps.db.select().from(projects).where(eq(projects.code, "KITCHEN")).get();
    const edit = await (await page(`/projects/${record?.id}/edit`, adminCookie)).text();
    const etag = /name="etag" value="([^"]+)"/.exec(edit)?.[1]?.replaceAll("&quot;", '"') ?? "";
    expect(etag).not.toBe("");
    const base = {
      name: "Kitchen refit",
      code: "KITCHEN",
      status: "active",
      ownerId: acme.adminId,
      memberIds: memberId,
    };
    const bad = await postForm(box, adminCookie, `/projects/${record?.id}`, { ...base, name: "", etag });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain("Enter a name.");
    const saved = await postForm(box, adminCookie, `/projects/${record?.id}`, { ...base, status: "on_hold", etag });
    expect(saved.headers.get("HX-Redirect")).toBe(`/projects/${record?.id}`);
    const stale = await postForm(box, adminCookie, `/projects/${record?.id}`, { ...base, name: "Mine", etag });
    expect(stale.status).toBe(412);
    const html = await stale.text();
    expect(html).toContain("Someone else changed this");
    expect(html).toContain('value="Mine"');
  });

  test("members are added and removed from the page; the answer is the members section", async () => {
    const record = box.deps.db.select().from(projects).where(eq(projects.code, "KITCHEN")).get();
    const removed = await postForm(box, adminCookie, `/projects/${record?.id}/members/${memberId}/remove`, {});
    expect(removed.status).toBe(200);
    const html = await removed.text();
    expect(html).toContain('id="project-members"');
    expect(html).toContain("Member removed.");
    const added = await postForm(box, adminCookie, `/projects/${record?.id}/members`, { userId: memberId });
    expect(await added.text()).toContain("Mia Member");
  });

  test("archiving from the page moves the project out of the open list", async () => {
    const record = box.deps.db.select().from(projects).where(eq(projects.code, "KITCHEN")).get();
    await postForm(box, adminCookie, `/projects/${record?.id}/status`, { status: "archived" });
    expect(await (await page("/projects", adminCookie)).text()).not.toContain("Kitchen refit");
    expect(await (await page("/projects?status=archived", adminCookie)).text()).toContain("Kitchen refit");
  });

  test("a team lead gets 403 on the forms; another organisation's project is a 404 page", async () => {
    expect((await page("/projects/new", leadCookie)).status).toBe(403);
    expect((await postForm(box, leadCookie, "/projects", { name: "X", code: "X" })).status).toBe(403);
    expect((await page(`/projects/${globexProjectId}`, adminCookie)).status).toBe(404);
    expect((await page(`/projects/${globexProjectId}/edit`, adminCookie)).status).toBe(404);
    const response = await box.fetch(`/projects/${globexProjectId}/status`, {
      method: "POST",
      headers: { ...consoleHeaders(box, adminCookie), "Content-Type": "application/x-www-form-urlencoded" },
      body: "status=archived",
    });
    expect(response.status).toBe(404);
  });
});
