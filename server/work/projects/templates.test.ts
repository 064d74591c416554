import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { apiAs, type Call, errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { sessionCookie, setUpBox, type TestBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import type { ProjectJson } from "./schemas.ts";

let box: TestApp;
let acme: TestBox;
let admin: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  admin = apiAs(box, sessionCookie(box, acme.adminId, acme.orgId));
});
afterAll(() => box.close());

async function create(body: Record<string, unknown>): Promise<ProjectJson> {
  const response = await admin("POST", "/api/v1/projects", body);
  expect(response.status).toBe(201);
  return (await response.json()) as ProjectJson;
}

describe("templates", () => {
  test("a template creates its tasks as to-dos reported by the caller, in the same transaction", async () => {
    const project = await create({ name: "Acme rollout", code: "ROLL", template: "client project" });
    const rows = box.deps.db.select().from(tasks).where(eq(tasks.projectId, project.id)).all();
    expect(rows.map((row) => row.title)).toEqual(["Kick-off", "Plan", "Deliver", "Invoice"]);
    expect(rows.every((row) => row.status === "todo" && row.reporterId === acme.adminId)).toBe(true);
    expect(project.progress).toEqual({ total: 4, done: 0, percent: 0 });

    const unknown = await admin("POST", "/api/v1/projects", { name: "X", code: "XT", template: "Moon base" });
    expect(unknown.status).toBe(422);
    expect((await errorOf(unknown)).details?.[0]?.path).toBe("template");
  });
});

describe("progress", () => {
  test("counts the project's tasks and the done ones with a rounded-down percentage", async () => {
    const project = await create({ name: "Counting", code: "CNT", template: "Client project" });
    box.deps.db
      .update(tasks)
      .set({ status: "done" })
      .where(and(eq(tasks.projectId, project.id), eq(tasks.title, "Plan")))
      .run();
    const body = (await (await admin("GET", `/api/v1/projects/${project.id}`)).json()) as ProjectJson;
    expect(body.progress).toEqual({ total: 4, done: 1, percent: 25 });
  });
});
