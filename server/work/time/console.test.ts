import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTimeWorld, type EntryBody, logTime, setWeekStatus, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;
let entry: EntryBody;
let outsiderEntry: EntryBody;
let sheetId: string;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
  entry = await logTime(w.as.member, { date: "2025-09-02", minutes: 1200, taskId: w.taskId, note: "Long day" });
  outsiderEntry = await logTime(w.as.outsider, { date: "2025-09-02", minutes: 30, projectId: w.projectId });
  sheetId = setWeekStatus(box, w.orgId, w.ids.member, "2025-09-08", "approved");
});
afterAll(() => box.close());

const page = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie } });
const htmx = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie, "HX-Request": "true" } });

describe("who may use the time pages", () => {
  const routes: [string, string, Record<string, string>?][] = [
    ["GET", "/time"],
    ["GET", "/time/totals"],
    ["GET", "/time/timer"],
    ["GET", "/time/entries/{entry}/edit"],
    ["POST", "/time/entries", { date: "2025-09-03", duration: "1", work: `project:${"x"}` }],
    ["POST", "/time/entries/{entry}", { date: "2025-09-03", duration: "1", work: "" }],
    ["POST", "/time/entries/{entry}/delete", {}],
    ["POST", "/time/timer/start", { work: "" }],
    ["POST", "/time/timer/stop", {}],
    ["POST", "/time/timer/discard", {}],
    ["POST", "/time/submit", { weekStart: "2025-09-01" }],
    ["GET", "/time/team"],
    ["POST", "/time/timesheets/{sheet}/reopen", {}],
  ];
  const fill = (path: string) => path.replace("{entry}", entry.id).replace("{sheet}", sheetId);

  for (const [method, path, fields] of routes) {
    test(`a viewer gets 403 on ${method} ${path}`, async () => {
      const response =
        method === "GET"
          ? await page(fill(path), w.cookies.viewer)
          : await postForm(box, w.cookies.viewer, fill(path), fields ?? {});
      expect(response.status).toBe(403);
    });
  }

  for (const path of ["/time/team", "/time/timesheets/{sheet}/reopen"]) {
    test(`a member without timesheets.approve gets 403 on ${path}`, async () => {
      const response =
        path === "/time/team"
          ? await page(path, w.cookies.member)
          : await postForm(box, w.cookies.member, fill(path), {});
      expect(response.status).toBe(403);
    });
  }

  for (const [method, path, fields] of routes.filter(([, path]) => path.includes("{"))) {
    test(`another organisation gets 404 on ${method} ${path}`, async () => {
      const response =
        method === "GET"
          ? await page(fill(path), w.cookies.otherAdmin)
          : await postForm(box, w.cookies.otherAdmin, fill(path), fields ?? {});
      expect(response.status).toBe(404);
    });
  }

  test("a team lead sees their member's week but gets 404 for anyone else's", async () => {
    const theirs = await page(`/time?week=2025-09-01&user=${w.ids.member}`, w.cookies.lead);
    expect(theirs.status).toBe(200);
    const html = await theirs.text();
    expect(html).toContain("Mo Member’s week");
    expect(html).toContain("Long day");
    expect(html).not.toContain('id="add-entry"');
    expect((await page(`/time?week=2025-09-01&user=${w.ids.outsider}`, w.cookies.lead)).status).toBe(404);
    expect((await htmx(`/time/entries/${outsiderEntry.id}/edit`, w.cookies.lead)).status).toBe(404);
  });
});

describe("my week", () => {
  test("shows the week's entries with day and project totals, and links to the weeks around it", async () => {
    const html = await (await page("/time?week=2025-09-03", w.cookies.member)).text();
    expect(html).toContain("2025-W36");
    expect(html).toContain("Fix the boiler (WEB · Website)");
    expect(html).toContain("20:00");
    expect(html).toContain('href="/time?week=2025-08-25"');
    expect(html).toContain('href="/time?week=2025-09-08"');
    expect(html).toContain("Submit week");
    expect(html).toContain('href="/time" aria-current="page"');
  });

  test("a refused entry comes back with what was typed and the reason (422)", async () => {
    const bad = await postForm(box, w.cookies.member, "/time/entries", {
      week: "2025-09-01",
      date: "2025-09-02",
      duration: "5:00",
      work: `task:${w.taskId}`,
      note: "Too much",
      billable: "on",
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).not.toContain("<html");
    expect(html).toContain('value="5:00"');
    expect(html).toContain('value="Too much"');
    expect(html).toMatch(new RegExp(`<option value="task:${w.taskId}" selected`));
    expect(html).toContain("A day has at most 24 hours");
    const typo = await postForm(box, w.cookies.member, "/time/entries", {
      week: "2025-09-01",
      date: "2025-09-03",
      duration: "soon",
      work: "",
      note: "Kept",
    });
    expect(typo.status).toBe(422);
    const typoHtml = await typo.text();
    expect(typoHtml).toContain('value="soon"');
    expect(typoHtml).toContain("Enter the time like 1:30");
  });

  test("an entry is added, edited inline and deleted", async () => {
    const added = await postForm(box, w.cookies.member, "/time/entries", {
      week: "2025-09-01",
      date: "2025-09-04",
      duration: "1.5",
      work: `project:${w.projectId}`,
      note: "Survey",
    });
    expect(added.status).toBe(200);
    expect(await added.text()).toContain("Logged 1 h 30 min on Website.");
    const list = (await (await w.as.member("GET", "/api/v1/time-entries?from=2025-09-04&to=2025-09-04")).json()) as {
      data: EntryBody[];
    };
    const id = list.data[0]?.id ?? "";
    const edit = await htmx(`/time/entries/${id}/edit`, w.cookies.member);
    const editHtml = await edit.text();
    expect(editHtml).toStartWith(`<tr id="entry-${id}" class="time-entry editing">`);
    expect(editHtml).toContain('value="1:30"');
    const refused = await postForm(box, w.cookies.member, `/time/entries/${id}`, {
      date: "2025-09-04",
      duration: "25:00",
      work: `project:${w.projectId}`,
      note: "Edited",
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('value="Edited"');
    const saved = await postForm(box, w.cookies.member, `/time/entries/${id}`, {
      date: "2025-09-04",
      duration: "45m",
      work: `project:${w.projectId}`,
      note: "Edited",
    });
    expect(await saved.text()).toContain("Saved 45 min on Website.");
    const deleted = await postForm(box, w.cookies.member, `/time/entries/${id}/delete`, {});
    expect(await deleted.text()).toContain("Deleted 45 min on Website.");
  });

  test("a locked week is read-only", async () => {
    await logTime(w.as.member, { date: "2025-09-16", minutes: 60, projectId: w.projectId });
    setWeekStatus(box, w.orgId, w.ids.member, "2025-09-15", "submitted");
    const html = await (await page("/time?week=2025-09-15", w.cookies.member)).text();
    expect(html).toContain("This week is submitted and locked");
    expect(html).not.toContain('id="add-entry"');
    expect(html).not.toContain(">Edit<");
    expect(html).not.toContain("Submit week");
    const refused = await postForm(box, w.cookies.member, "/time/entries", {
      week: "2025-09-15",
      date: "2025-09-17",
      duration: "1",
      work: `project:${w.projectId}`,
    });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("This week is submitted and locked.");
  });

  test("a task page starts the timer with its taskId and goes back to where it came from", async () => {
    const started = await postForm(box, w.cookies.member, "/time/timer/start", {
      taskId: w.taskId,
      next: `/tasks/${w.taskId}`,
    });
    expect(started.headers.get("HX-Redirect")).toBe(`/tasks/${w.taskId}`);
    const panel = await (await htmx("/time/timer", w.cookies.member)).text();
    expect(panel).toContain("Running on <strong>Fix the boiler</strong>");
    const stopped = await postForm(box, w.cookies.member, "/time/timer/stop", {});
    expect(await stopped.text()).toContain("Saved 1 min on “Fix the boiler”.");
    const again = await postForm(box, w.cookies.member, "/time/timer/stop", {});
    expect(again.status).toBe(404);
    expect(await again.text()).toContain("No timer is running.");
  });
});

describe("the team and totals pages", () => {
  test("a lead sees their team's people and reopens an approved week", async () => {
    const html = await (await page("/time/team?week=2025-09-08", w.cookies.lead)).text();
    expect(html).toContain("Mo Member");
    expect(html).not.toContain("Oz Outsider");
    expect(html).toContain(`/time/timesheets/${sheetId}/reopen`);
    const reopened = await postForm(box, w.cookies.lead, `/time/timesheets/${sheetId}/reopen`, { week: "2025-09-08" });
    expect(reopened.status).toBe(200);
    expect(await reopened.text()).toContain("The week of Mo Member is open again");
  });

  test("a manager sees everyone", async () => {
    const html = await (await page("/time/team?week=2025-09-01", w.cookies.manager)).text();
    expect(html).toContain("Oz Outsider");
    expect(html).toContain("Mo Member");
    expect(html).not.toContain("Vic Viewer");
  });

  test("totals show projects (and people for approvers) with a CSV link for the range", async () => {
    const member = await (await page("/time/totals?from=2025-09-01&to=2025-09-07", w.cookies.member)).text();
    expect(member).toContain("WEB · Website");
    expect(member).not.toContain("By person");
    expect(member).toContain("/api/v1/time-entries.csv?userId=all&amp;from=2025-09-01&amp;to=2025-09-07");
    const manager = await (await page("/time/totals?from=2025-09-01&to=2025-09-07", w.cookies.manager)).text();
    expect(manager).toContain("By person");
    expect(manager).toContain("Oz Outsider");
    const backwards = await page("/time/totals?from=2025-09-07&to=2025-09-01", w.cookies.member);
    expect(backwards.status).toBe(422);
  });
});
