import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTaskWorld, insertProject, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
});
afterAll(() => box.close());

async function page(path: string, cookie: string): Promise<string> {
  return (await box.fetch(path, { headers: { Cookie: cookie } })).text();
}

const stored = (id: string) => box.deps.db.select().from(tasks).where(eq(tasks.id, id)).get();
const fields = { title: "Fence", status: "todo", priority: "medium", assigneeId: "" };

describe("the task form's project field takes a code", () => {
  test("the form has a search field, not a select of every project, with the current project's code", async () => {
    for (let index = 0; index < 30; index++) insertProject(box, w.orgId, `BULK-${index}`);
    const blank = await page("/tasks/new", w.cookies.admin);
    expect(blank).toContain('name="project"');
    expect(blank).toContain('hx-get="/projects/choices"');
    expect(blank).not.toContain("BULK-");
    expect(blank).not.toContain('name="projectId"');
    const prefilled = await page(`/tasks/new?projectId=${w.projectId}`, w.cookies.admin);
    expect(prefilled).toMatch(/name="project" value="WEB"/);
    const task = await newTask(w.as.admin, { title: "Filed", projectId: w.projectId });
    const edit = await page(`/tasks/${task.id}/edit`, w.cookies.admin);
    expect(edit).toMatch(/name="project" value="WEB"/);
    expect(edit).toContain("WEB · Project WEB.");
  });

  test("a code (any case) files the task in that project; an empty field files it in none", async () => {
    const created = await postForm(box, w.cookies.admin, "/tasks", { ...fields, project: " web " });
    const id = (created.headers.get("HX-Redirect") ?? "").split("/").at(-1) ?? "";
    expect(stored(id)?.projectId).toBe(w.projectId);
    await postForm(box, w.cookies.admin, `/tasks/${id}`, { ...fields, project: "" });
    expect(stored(id)?.projectId).toBeNull();
  });

  test("an unknown code, or another organisation's, comes back as a 422 on the field with what was typed", async () => {
    for (const code of ["NOPE", "GLX"]) {
      const refused = await postForm(box, w.cookies.admin, "/tasks", { ...fields, title: "Kept", project: code });
      expect(refused.status).toBe(422);
      const html = await refused.text();
      expect(html).toContain(`No project has the code “${code}”`);
      expect(html).toContain(`value="${code}"`);
      expect(html).toContain('value="Kept"');
    }
  });

  test("an archived project's code is refused as before: it takes no new tasks", async () => {
    const refused = await postForm(box, w.cookies.admin, "/tasks", { ...fields, project: "OLD" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("This project is archived");
  });
});
