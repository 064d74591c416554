import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { projects, tasks } from "../../models/work.ts";
import { postForm } from "../auth/people/people-test-kit.ts";
import type { TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";

/**
 * A work form refused by a full disk comes back with what was typed and says why (507),
 * instead of an error page that loses the person's text. SQLite's own limit on the database's
 * pages (PRAGMA max_page_count) makes it answer SQLITE_FULL exactly as a full disk does.
 */
let box: TestApp;
let cookie = "";
beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  cookie = sessionCookie(box, acme.adminId, acme.orgId);
});
afterEach(() => {
  box.deps.db.$client.run("PRAGMA max_page_count = 1073741823");
});
afterAll(() => box.close());

function fillTheDatabase(): void {
  const pages = box.deps.db.$client.query("PRAGMA page_count").get() as { page_count: number };
  box.deps.db.$client.run(`PRAGMA max_page_count = ${pages.page_count}`);
}

const LONG = "Measure the north wall again before ordering the panels. ".repeat(150);

test("a new task refused by a full disk keeps its title and description and says the disk is full", async () => {
  fillTheDatabase();
  const response = await postForm(box, cookie, "/tasks", {
    title: "Order the wall panels",
    description: LONG,
    status: "todo",
    priority: "medium",
  });
  expect(response.status).toBe(507);
  const page = await response.text();
  expect(page).toContain("The disk is full, so nothing was saved");
  expect(page).toContain("Order the wall panels");
  expect(page).toContain("Measure the north wall again");
  expect(box.deps.db.select().from(tasks).where(eq(tasks.title, "Order the wall panels")).get()).toBeUndefined();
});

test("a new project refused by a full disk keeps what was typed", async () => {
  fillTheDatabase();
  const response = await postForm(box, cookie, "/projects", { code: "WALL", name: "North wall", description: LONG });
  expect(response.status).toBe(507);
  const page = await response.text();
  expect(page).toContain("The disk is full, so nothing was saved");
  expect(page).toContain("North wall");
  expect(box.deps.db.select().from(projects).where(eq(projects.code, "WALL")).get()).toBeUndefined();
});
