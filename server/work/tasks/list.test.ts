import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { tasks } from "../../../models/work.ts";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { explainListTasks } from "./list.ts";
import { taskListQuery } from "./schemas.ts";
import type { TaskJson } from "./service.ts";
import { createTaskWorld, insertProject, newTask, type TaskWorld } from "./test-kit.ts";

let box: TestApp;
let w: TaskWorld;
let otherProjectId: string;
const made: Record<string, TaskJson> = {};

type Page = { data: TaskJson[]; nextCursor: string | null };

async function list(query: string): Promise<Page> {
  const response = await w.as.admin("GET", `/api/v1/tasks?${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

async function titles(query: string): Promise<string[]> {
  return (await list(`${query}&limit=200`)).data.map((task) => task.title);
}

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTaskWorld(box);
  otherProjectId = insertProject(box, w.orgId, "OPS");
  const specs: [string, Record<string, unknown>][] = [
    ["Fix the boiler", { assigneeId: w.memberId, projectId: w.projectId, labels: ["plumbing"], dueAt: "2020-01-10" }],
    ["Boiler service contract", { assigneeId: w.memberId, status: "in_progress", dueAt: "2099-06-01" }],
    ["Paint the fence", { assigneeId: w.adminId, projectId: otherProjectId, labels: ["outdoor", "paint"] }],
    ["Order paint", { status: "done", projectId: otherProjectId, labels: ["paint"], dueAt: "2020-01-01" }],
    ["Call the roofer", { status: "blocked", dueAt: "2099-01-15T09:00:00Z" }],
  ];
  for (const [title, body] of specs) made[title] = await newTask(w.as.admin, { title, ...body });
});
afterAll(() => box.close());

describe("GET /api/v1/tasks filters", () => {
  test("newest first without filters", async () => {
    expect(await titles("")).toEqual([
      "Call the roofer",
      "Order paint",
      "Paint the fence",
      "Boiler service contract",
      "Fix the boiler",
    ]);
  });

  test("status takes a comma list", async () => {
    expect(await titles("status=done")).toEqual(["Order paint"]);
    expect(await titles("status=blocked,in_progress")).toEqual(["Call the roofer", "Boiler service contract"]);
  });

  test('assigneeId takes an id, "me" or "none"', async () => {
    expect(await titles(`assigneeId=${w.memberId}`)).toEqual(["Boiler service contract", "Fix the boiler"]);
    expect(await titles("assigneeId=me")).toEqual(["Paint the fence"]);
    expect(await titles("assigneeId=none")).toEqual(["Call the roofer", "Order paint"]);
    expect(await titles(`assigneeId=${w.memberId}&status=todo`)).toEqual(["Fix the boiler"]);
  });

  test("projectId and label", async () => {
    expect(await titles(`projectId=${otherProjectId}`)).toEqual(["Order paint", "Paint the fence"]);
    expect(await titles("label=PAINT")).toEqual(["Order paint", "Paint the fence"]);
    expect(await titles(`label=paint&projectId=${otherProjectId}&status=todo`)).toEqual(["Paint the fence"]);
  });

  test("dueBefore, dueAfter (days include themselves) and overdue", async () => {
    expect(await titles("dueBefore=2020-01-10")).toEqual(["Order paint", "Fix the boiler"]);
    expect(await titles("dueAfter=2099-01-15")).toEqual(["Call the roofer", "Boiler service contract"]);
    expect(await titles("dueAfter=2099-01-01&dueBefore=2099-01-31")).toEqual(["Call the roofer"]);
    // Done work is never overdue.
    expect(await titles("overdue=true")).toEqual(["Fix the boiler"]);
  });

  test("q finds words (and word starts) of the title, and nothing of another organisation", async () => {
    await newTask(w.as.globex, { title: "Boiler at Globex" });
    expect(await titles("q=boil")).toEqual(["Boiler service contract", "Fix the boiler"]);
    expect(await titles("q=boiler fix")).toEqual(["Fix the boiler"]);
    expect(await titles('q="paint" NOT fence')).toEqual([]);
    expect(await titles("q=paint")).toEqual(["Order paint", "Paint the fence"]);
  });

  test("bad filters are 422 on their field", async () => {
    for (const [query, path] of [
      ["status=started", "status"],
      ["assigneeId=bob", "assigneeId"],
      ["dueBefore=tomorrow", "dueBefore"],
      ["limit=500", "limit"],
      ["cursor=not-a-cursor", "cursor"],
    ]) {
      const response = await w.as.admin("GET", `/api/v1/tasks?${query}`);
      expect([query, response.status]).toEqual([query, 422]);
      expect((await errorOf(response)).details?.[0]?.path ?? "").toStartWith(path ?? "");
    }
  });
});

describe("keyset pagination", () => {
  test("pages stay stable while tasks are added between requests: no duplicates, no gaps", async () => {
    const before = (await list("limit=200")).data.map((task) => task.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const page: Page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.data.map((task) => task.id));
      cursor = page.nextCursor;
      // Someone adds work between two page loads.
      await newTask(w.as.lead, { title: `Added while paging ${added++}` });
    } while (cursor);
    expect(seen).toEqual(before);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await list("limit=200")).data).toHaveLength(before.length + added);
  });

  test("the page of the benchmark is one indexed query: no sort, no scan of the table", () => {
    const plan = explainListTasks(
      { db: box.deps.db, orgId: w.orgId, userId: w.adminId },
      taskListQuery.parse({ status: "todo", assigneeId: w.memberId, limit: "20" }),
    );
    expect(plan.join(" | ")).toContain("USING INDEX tasks_org_assignee_status_idx");
    expect(plan.join(" | ")).not.toContain("TEMP B-TREE");
    const paged = explainListTasks(
      { db: box.deps.db, orgId: w.orgId, userId: w.adminId },
      taskListQuery.parse({
        status: "todo",
        assigneeId: w.memberId,
        limit: "20",
        cursor: made["Fix the boiler"]?.id
          ? Buffer.from(JSON.stringify([made["Fix the boiler"].id])).toString("base64url")
          : "",
      }),
    );
    expect(paged.join(" | ")).toContain("USING INDEX tasks_org_assignee_status_idx");
    expect(paged.join(" | ")).not.toContain("TEMP B-TREE");
  });

  test("a task with an id of another organisation never leaks through a cursor", async () => {
    const globexTask = await newTask(w.as.globex, { title: "Hidden" });
    const cursor = Buffer.from(JSON.stringify(["tsk_zzzzzzzzzzzzzzzzzzzzzzzzzz"])).toString("base64url");
    const page = await list(`limit=200&cursor=${cursor}`);
    expect(page.data.map((task) => task.id)).not.toContain(globexTask.id);
    expect(box.deps.db.select().from(tasks).where(eq(tasks.id, globexTask.id)).get()?.orgId).toBe(w.globex.orgId);
  });
});
