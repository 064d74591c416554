import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTimeWorld, type EntryBody, logTime, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;
let memberEntry: EntryBody;
let outsiderEntry: EntryBody;

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
  memberEntry = await logTime(w.as.member, {
    date: "2025-04-07",
    minutes: 120,
    taskId: w.taskId,
    billable: true,
    note: '=HYPERLINK("http://evil")',
  });
  await logTime(w.as.member, { date: "2025-04-08", minutes: 60, projectId: w.projectId });
  outsiderEntry = await logTime(w.as.outsider, { date: "2025-04-07", minutes: 45, projectId: w.projectId });
  await logTime(w.as.lead, { date: "2025-04-09", minutes: 30, projectId: w.projectId, billable: true });
});
afterAll(() => box.close());

type Page = { data: EntryBody[]; nextCursor: string | null };

describe("whose time a person sees", () => {
  test("a team lead reads and edits the entries of their team's people; anyone else's is 404", async () => {
    expect((await w.as.lead("GET", `/api/v1/time-entries/${memberEntry.id}`)).status).toBe(200);
    expect((await w.as.lead("PATCH", `/api/v1/time-entries/${memberEntry.id}`, { billable: true })).status).toBe(200);
    for (const [method, body] of [["GET"], ["PATCH", { note: "x" }], ["DELETE"]] as const) {
      const response = await w.as.lead(method, `/api/v1/time-entries/${outsiderEntry.id}`, body);
      expect(response.status).toBe(404);
    }
    const list = await w.as.lead("GET", `/api/v1/time-entries?userId=${w.ids.outsider}`);
    expect(list.status).toBe(404);
  });

  test("a member sees only their own entries; a manager sees everyone's", async () => {
    expect((await w.as.member("GET", `/api/v1/time-entries/${outsiderEntry.id}`)).status).toBe(404);
    expect((await w.as.member("GET", `/api/v1/time-entries?userId=${w.ids.outsider}`)).status).toBe(404);
    const all = (await (await w.as.member("GET", "/api/v1/time-entries?userId=all")).json()) as Page;
    expect(new Set(all.data.map((entry) => entry.userId))).toEqual(new Set([w.ids.member]));
    expect((await w.as.manager("GET", `/api/v1/time-entries/${outsiderEntry.id}`)).status).toBe(200);
    // Someone of another organisation is nobody here, even for a manager.
    expect((await w.as.manager("GET", `/api/v1/time-entries?userId=${w.ids.otherAdmin}`)).status).toBe(404);
    const everyone = (await (await w.as.manager("GET", "/api/v1/time-entries?userId=all")).json()) as Page;
    expect(new Set(everyone.data.map((entry) => entry.userId))).toEqual(
      new Set([w.ids.member, w.ids.outsider, w.ids.lead]),
    );
  });

  test("the list is the caller's own by default, filtered and paged by keyset without repeats", async () => {
    const own = (await (await w.as.member("GET", "/api/v1/time-entries")).json()) as Page;
    expect(own.data.map((entry) => entry.date)).toEqual(["2025-04-08", "2025-04-07"]);
    const billable = (await (await w.as.member("GET", "/api/v1/time-entries?billable=true")).json()) as Page;
    expect(billable.data.map((entry) => entry.id)).toEqual([memberEntry.id]);
    const first = (await (await w.as.manager("GET", "/api/v1/time-entries?userId=all&limit=2")).json()) as Page;
    expect(first.data).toHaveLength(2);
    // A new entry on an earlier day lands after the cursor, once.
    await logTime(w.as.outsider, { date: "2025-04-01", minutes: 5, projectId: w.projectId });
    const rest = (await (
      await w.as.manager("GET", `/api/v1/time-entries?userId=all&limit=50&cursor=${first.nextCursor}`)
    ).json()) as Page;
    const ids = [...first.data, ...rest.data].map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(rest.data.at(-1)?.date).toBe("2025-04-01");
    expect((await w.as.manager("GET", "/api/v1/time-entries?cursor=bogus")).status).toBe(422);
  });

  test("logging for someone else needs timesheets.approve over them", async () => {
    const byMember = await w.as.member("POST", "/api/v1/time-entries", {
      date: "2025-04-10",
      minutes: 10,
      projectId: w.projectId,
      userId: w.ids.outsider,
    });
    expect(byMember.status).toBe(403);
    const byLeadOutside = await w.as.lead("POST", "/api/v1/time-entries", {
      date: "2025-04-10",
      minutes: 10,
      projectId: w.projectId,
      userId: w.ids.outsider,
    });
    expect(byLeadOutside.status).toBe(403);
    const byLead = await logTime(w.as.lead, {
      date: "2025-04-10",
      minutes: 10,
      projectId: w.projectId,
      userId: w.ids.member,
    });
    expect(byLead.userId).toBe(w.ids.member);
    const unknown = await w.as.manager("POST", "/api/v1/time-entries", {
      date: "2025-04-10",
      minutes: 10,
      projectId: w.projectId,
      userId: w.ids.otherAdmin,
    });
    expect(unknown.status).toBe(422);
    expect((await errorOf(unknown)).details?.[0]?.path).toBe("userId");
  });
});

type Totals = {
  groupBy: string;
  from: string;
  to: string;
  data: { id: string | null; name: string; minutes: number; billableMinutes: number }[];
  total: { minutes: number; billableMinutes: number };
};

describe("totals", () => {
  const range = "from=2025-04-07&to=2025-04-09";

  test("per project: a member's own minutes; a manager's everyone's", async () => {
    const mine = (await (await w.as.member("GET", `/api/v1/time-entries/totals?${range}`)).json()) as Totals;
    expect(mine.data).toEqual([{ id: w.projectId, name: "WEB · Website", minutes: 180, billableMinutes: 120 }]);
    const all = (await (await w.as.manager("GET", `/api/v1/time-entries/totals?${range}`)).json()) as Totals;
    expect(all.total).toEqual({ minutes: 255, billableMinutes: 150 });
  });

  test("per person needs timesheets.approve and is limited to the lead's team", async () => {
    expect((await w.as.member("GET", `/api/v1/time-entries/totals?groupBy=person&${range}`)).status).toBe(403);
    const lead = (await (
      await w.as.lead("GET", `/api/v1/time-entries/totals?groupBy=person&${range}`)
    ).json()) as Totals;
    expect(lead.data.map((row) => [row.name, row.minutes])).toEqual([
      ["Mo Member", 180],
      ["Leo Lead", 30],
    ]);
    const manager = (await (
      await w.as.manager("GET", `/api/v1/time-entries/totals?groupBy=person&${range}`)
    ).json()) as Totals;
    expect(manager.data.map((row) => row.name)).toContain("Oz Outsider");
  });

  test("per task, and a backwards range is 422", async () => {
    const tasks = (await (
      await w.as.member("GET", `/api/v1/time-entries/totals?groupBy=task&${range}`)
    ).json()) as Totals;
    expect(tasks.data).toEqual([
      { id: w.taskId, name: "Fix the boiler", minutes: 120, billableMinutes: 120 },
      { id: null, name: "No task", minutes: 60, billableMinutes: 0 },
    ]);
    const backwards = await w.as.member("GET", "/api/v1/time-entries/totals?from=2025-04-09&to=2025-04-01");
    expect(backwards.status).toBe(422);
  });
});

describe("CSV", () => {
  test("exports the filtered entries with names, hours and defused formulas", async () => {
    const response = await w.as.member("GET", "/api/v1/time-entries.csv?from=2025-04-07&to=2025-04-07");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    expect(response.headers.get("Content-Disposition")).toContain("attachment");
    const lines = (await response.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "id,date,user_id,person,project_code,project,task_id,task,minutes,hours,billable,invoiced,note",
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${memberEntry.id},2025-04-07,${w.ids.member},Mo Member,WEB,Website,${w.taskId}`);
    expect(lines[1]).toContain(",120,2.00,yes,no,");
    expect(lines[1]).toEndWith(`"'=HYPERLINK(""http://evil"")"`);
  });

  test("a lead's export of everyone holds only their team; someone out of reach is 404", async () => {
    const text = await (await w.as.lead("GET", "/api/v1/time-entries.csv?userId=all")).text();
    expect(text).toContain("Mo Member");
    expect(text).not.toContain("Oz Outsider");
    expect((await w.as.lead("GET", `/api/v1/time-entries.csv?userId=${w.ids.outsider}`)).status).toBe(404);
  });
});
