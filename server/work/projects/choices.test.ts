import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { customRoles } from "../../../models/identity.ts";
import type { TestApp } from "../../testing/harness.ts";
import { createUser, sessionCookie } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { newId } from "../../tools/ids.ts";
import { createTaskWorld, insertProject, type TaskWorld } from "../tasks/test-kit.ts";

let box: TestApp;
let w: TaskWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  insertProject(box, w.orgId, "WEBSHOP");
  insertProject(box, w.orgId, "HR");
});
afterAll(() => box.close());

async function choices(query: string, cookie: string): Promise<{ status: number; html: string }> {
  const response = await box.fetch(`/projects/choices?project=${encodeURIComponent(query)}`, {
    headers: { Cookie: cookie, "HX-Request": "true" },
  });
  return { status: response.status, html: await response.text() };
}

const codesIn = (html: string) => [...html.matchAll(/data-code="([^"]+)"/g)].map((match) => match[1]);

describe("GET /projects/choices (the task form's project search)", () => {
  test("lists open projects whose code starts with, or whose code or name contains, what was typed", async () => {
    expect(codesIn((await choices("web", w.cookies.member)).html)).toEqual(["WEB", "WEBSHOP"]);
    // "Project HR" is the name: a contains match.
    expect(codesIn((await choices("project h", w.cookies.member)).html)).toEqual(["HR"]);
    expect((await choices("", w.cookies.member)).html).toBe("");
  });

  test("leaves out archived projects and says when nothing matches", async () => {
    const { status, html } = await choices("OLD", w.cookies.member);
    expect(status).toBe(200);
    expect(codesIn(html)).toEqual([]);
    expect(html).toContain("No open project matches “OLD”.");
  });

  test("never lists another organisation's projects", async () => {
    expect(codesIn((await choices("GLX", w.cookies.admin)).html)).toEqual([]);
    expect(codesIn((await choices("Project", w.cookies.admin)).html)).not.toContain("GLX");
  });

  test("a role without workspace.read is refused with 403", async () => {
    const roleId = newId("rol");
    box.deps.db
      .insert(customRoles)
      .values({ id: roleId, orgId: w.orgId, name: `Uploader ${roleId}`, permissions: ["documents.upload"] })
      .run();
    const cookie = sessionCookie(box, await createUser(box, { orgId: w.orgId, role: roleId }), w.orgId);
    expect((await choices("WEB", cookie)).status).toBe(403);
    expect((await choices("WEB", w.cookies.viewer)).status).toBe(200);
  });

  test("a query longer than a field holds is a 422", async () => {
    expect((await choices("x".repeat(121), w.cookies.member)).status).toBe(422);
  });
});
