import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { addDays, isoWeekLabel, startOfDay, todayUtc, weekStartOf } from "../../tools/days.ts";
import { seedCustomer, seedProject } from "../search/search-test-kit.ts";
import { parseCsv, seedCompletedTask, seedIssuedInvoice, seedTeam, seedTime } from "./report-test-kit.ts";

let box: TestApp;
const cookie: Record<string, string> = {};
const id: Record<string, string> = {};
const thisMonday = weekStartOf(todayUtc());

beforeAll(async () => {
  box = await startInProcessApp();
  const acme = await setUpBox(box);
  const org = acme.orgId;
  const globex = await createOrganization(box, "Globex");
  cookie.admin = sessionCookie(box, acme.adminId, org);
  for (const role of ["manager", "team_lead", "member", "viewer"]) {
    id[role] = await createUser(box, { orgId: org, role, name: `Test ${role}` });
    cookie[role] = sessionCookie(box, id[role] ?? "", org);
  }
  const alice = await createUser(box, { orgId: org, role: "member", name: "Alice" });
  const bob = await createUser(box, { orgId: org, role: "member", name: "Bob" });
  id.alice = alice;
  id.bob = bob;
  seedTeam(box, org, id.team_lead ?? "", [alice]);

  const web = seedProject(box, org, { code: "WEB", name: "Website" });
  const fit = seedProject(box, org, { code: "FIT", name: "Fit-out" });
  const evil = seedProject(box, org, { code: "EVIL", name: "=SUM(A1:A9)" });
  id.web = web;
  id.fit = fit;
  id.evil = evil;
  seedTime(box, org, { userId: alice, date: "2030-03-01", minutes: 90, projectId: web, billable: true });
  seedTime(box, org, { userId: alice, date: "2030-03-02", minutes: 30, projectId: web });
  seedTime(box, org, { userId: alice, date: "2030-03-05", minutes: 60, projectId: fit, billable: true });
  seedTime(box, org, { userId: bob, date: "2030-03-10", minutes: 120, projectId: fit, billable: true });
  seedTime(box, org, { userId: bob, date: "2030-03-31", minutes: 45, projectId: null });
  seedTime(box, org, { userId: id.team_lead ?? "", date: "2030-03-15", minutes: 20, projectId: web });
  seedTime(box, org, { userId: id.team_lead ?? "", date: "2030-03-16", minutes: 10, projectId: evil });
  // Outside the range on both sides.
  seedTime(box, org, { userId: alice, date: "2030-02-28", minutes: 600, projectId: web });
  seedTime(box, org, { userId: alice, date: "2030-04-01", minutes: 600, projectId: web });
  // Another organisation, inside the range.
  const globexProject = seedProject(box, globex.orgId, { code: "WEB", name: "Globex web" });
  seedTime(box, globex.orgId, { userId: globex.adminId, date: "2030-03-03", minutes: 999, projectId: globexProject });

  const eur = seedCustomer(box, org, { name: "Euro Ltd" });
  const usd = seedCustomer(box, org, { name: "Dollar Inc" });
  const invoice = (
    customerId: string,
    currency: string,
    issueDate: string,
    status: "draft" | "sent" | "paid" | "void",
    total: number,
  ) => seedIssuedInvoice(box, org, { customerId, currency, issueDate, status, total });
  invoice(eur, "EUR", "2030-01-15", "draft", 10000);
  invoice(eur, "EUR", "2030-01-20", "paid", 25050);
  invoice(eur, "EUR", "2030-02-03", "paid", 5000);
  invoice(usd, "USD", "2030-02-10", "sent", 7000);
  invoice(eur, "EUR", "2030-02-11", "void", 99999);
  invoice(eur, "EUR", "2029-12-31", "paid", 1);
  const globexCustomer = seedCustomer(box, globex.orgId, { name: "Globex customer" });
  seedIssuedInvoice(box, globex.orgId, {
    customerId: globexCustomer,
    currency: "EUR",
    issueDate: "2030-01-15",
    status: "paid",
    total: 12345,
  });

  const monday = startOfDay(thisMonday).getTime();
  seedCompletedTask(box, org, new Date(monday + 3_600_000));
  seedCompletedTask(box, org, new Date(monday + 2 * 86_400_000));
  seedCompletedTask(box, org, new Date(monday - 1)); // last week's Sunday, 23:59:59.999
  seedCompletedTask(box, org, new Date(monday - 19 * 86_400_000)); // three weeks back, a Wednesday
  seedCompletedTask(box, org, new Date(monday - 84 * 86_400_000)); // twelve weeks back: the 13th week
  seedCompletedTask(box, org, new Date(monday + 3_600_000), "review"); // reopened: not done any more
  seedCompletedTask(box, globex.orgId, new Date(monday + 3_600_000));
});
afterAll(() => box.close());

async function get(who: string, path: string) {
  return box.fetch(path, { headers: { Cookie: cookie[who] ?? "" } });
}

async function json(who: string, path: string) {
  const response = await get(who, path);
  expect(response.status).toBe(200);
  return (await response.json()) as { data: Record<string, unknown>[] } & Record<string, unknown>;
}

const march = "from=2030-03-01&to=2030-03-31";
const q1 = "from=2030-01-01&to=2030-02-28";

describe("GET /api/v1/reports/hours", () => {
  test("by project: everyone's minutes in the range, most first, other organisations left out", async () => {
    const body = await json("viewer", `/api/v1/reports/hours?${march}`);
    expect(body).toEqual({
      groupBy: "project",
      from: "2030-03-01",
      to: "2030-03-31",
      data: [
        { projectId: id.fit, projectCode: "FIT", projectName: "Fit-out", minutes: 180, billableMinutes: 180, hours: 3 },
        {
          projectId: id.web,
          projectCode: "WEB",
          projectName: "Website",
          minutes: 140,
          billableMinutes: 90,
          hours: 2.33,
        },
        { projectId: null, projectCode: null, projectName: "No project", minutes: 45, billableMinutes: 0, hours: 0.75 },
        {
          projectId: id.evil,
          projectCode: "EVIL",
          projectName: "=SUM(A1:A9)",
          minutes: 10,
          billableMinutes: 0,
          hours: 0.17,
        },
      ],
    });
  });

  test("by person: everyone for a manager, only the lead's teams (and the lead) for a team lead", async () => {
    const manager = await json("manager", `/api/v1/reports/hours?groupBy=person&${march}`);
    expect(manager.data).toEqual([
      { userId: id.alice, name: "Alice", minutes: 180, billableMinutes: 150, hours: 3 },
      { userId: id.bob, name: "Bob", minutes: 165, billableMinutes: 120, hours: 2.75 },
      { userId: id.team_lead, name: "Test team_lead", minutes: 30, billableMinutes: 0, hours: 0.5 },
    ]);
    const lead = await json("team_lead", `/api/v1/reports/hours?groupBy=person&${march}`);
    expect(lead.data.map((row) => [row.name, row.minutes])).toEqual([
      ["Alice", 180],
      ["Test team_lead", 30],
    ]);
  });

  test("by person is 403 without timesheets.approve", async () => {
    for (const who of ["member", "viewer"]) {
      const response = await get(who, `/api/v1/reports/hours?groupBy=person&${march}`);
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
      expect((await get(who, "/api/v1/reports/hours.csv?groupBy=person")).status).toBe(403);
    }
  });

  test("CSV (format=csv and .csv) has the JSON's rows, with formulas defused", async () => {
    const text = await (await get("viewer", `/api/v1/reports/hours?${march}&format=csv`)).text();
    expect(text).toBe(
      [
        "projectId,projectCode,projectName,minutes,billableMinutes,hours",
        `${id.fit},FIT,Fit-out,180,180,3`,
        `${id.web},WEB,Website,140,90,2.33`,
        ",,No project,45,0,0.75",
        `${id.evil},EVIL,'=SUM(A1:A9),10,0,0.17`,
        "",
      ].join("\r\n"),
    );
    const path = await get("viewer", `/api/v1/reports/hours.csv?${march}`);
    expect(path.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(path.headers.get("Content-Disposition")).toBe(
      'attachment; filename="hours-by-project-2030-03-01-to-2030-03-31.csv"',
    );
    expect(await path.text()).toBe(text);
    const person = await json("manager", `/api/v1/reports/hours?groupBy=person&${march}`);
    const personCsv = await (await get("manager", `/api/v1/reports/hours.csv?groupBy=person&${march}`)).text();
    expect(parseCsv(personCsv)).toEqual(
      tableOf(person.data, ["userId", "name", "minutes", "billableMinutes", "hours"]),
    );
  });
});

describe("GET /api/v1/reports/invoices", () => {
  test("by status: count and total per currency, in lifecycle order", async () => {
    const body = await json("manager", `/api/v1/reports/invoices?${q1}`);
    expect(body).toEqual({
      groupBy: "status",
      from: "2030-01-01",
      to: "2030-02-28",
      data: [
        { status: "draft", currency: "EUR", count: 1, total: 10000 },
        { status: "sent", currency: "USD", count: 1, total: 7000 },
        { status: "paid", currency: "EUR", count: 2, total: 30050 },
        { status: "void", currency: "EUR", count: 1, total: 99999 },
      ],
    });
  });

  test("by month of the issue date, per currency, without void invoices", async () => {
    const body = await json("admin", `/api/v1/reports/invoices?groupBy=month&${q1}`);
    expect(body.data).toEqual([
      { month: "2030-01", currency: "EUR", count: 2, total: 35050 },
      { month: "2030-02", currency: "EUR", count: 1, total: 5000 },
      { month: "2030-02", currency: "USD", count: 1, total: 7000 },
    ]);
  });

  test("CSV equals the JSON rows", async () => {
    for (const groupBy of ["status", "month"]) {
      const body = await json("manager", `/api/v1/reports/invoices?groupBy=${groupBy}&${q1}`);
      const csv = await (await get("manager", `/api/v1/reports/invoices.csv?groupBy=${groupBy}&${q1}`)).text();
      expect(parseCsv(csv)).toEqual(tableOf(body.data, [groupBy, "currency", "count", "total"]));
      const viaFormat = await (
        await get("manager", `/api/v1/reports/invoices?groupBy=${groupBy}&${q1}&format=csv`)
      ).text();
      expect(viaFormat).toBe(csv);
    }
  });

  test("403 without invoices.manage", async () => {
    for (const who of ["team_lead", "member", "viewer"]) {
      expect((await get(who, `/api/v1/reports/invoices?${q1}`)).status).toBe(403);
      expect((await get(who, `/api/v1/reports/invoices.csv?${q1}`)).status).toBe(403);
    }
  });
});

describe("GET /api/v1/reports/tasks-completed", () => {
  test("the last 12 ISO weeks by default, oldest first, empty weeks as 0, reopened tasks left out", async () => {
    const body = await json("viewer", "/api/v1/reports/tasks-completed");
    expect(body.weeks).toBe(12);
    const expected = Array.from({ length: 12 }, (_, index) => {
      const weekStart = addDays(thisMonday, 7 * (index - 11));
      const count = index === 11 ? 2 : index === 10 ? 1 : index === 8 ? 1 : 0;
      return { week: isoWeekLabel(weekStart), weekStart, count };
    });
    expect(body.data).toEqual(expected);
    const longer = await json("viewer", "/api/v1/reports/tasks-completed?weeks=13");
    expect(longer.data.map((row) => row.count)).toEqual([1, ...expected.map((row) => row.count)]);
  });

  test("CSV equals the JSON rows", async () => {
    const body = await json("member", "/api/v1/reports/tasks-completed?weeks=4");
    const csv = await (await get("member", "/api/v1/reports/tasks-completed.csv?weeks=4")).text();
    expect(parseCsv(csv)).toEqual(tableOf(body.data, ["week", "weekStart", "count"]));
  });
});

describe("validation and access", () => {
  test("422 for bad days, a backwards range, an unknown grouping or a bad week count", async () => {
    for (const path of [
      "/api/v1/reports/hours?from=2030-13-01",
      "/api/v1/reports/hours?from=2030-03-31&to=2030-03-01",
      "/api/v1/reports/hours?from=2020-01-01&to=2030-01-01",
      "/api/v1/reports/hours?groupBy=team",
      "/api/v1/reports/invoices?groupBy=customer",
      "/api/v1/reports/invoices.csv?to=yesterday",
      "/api/v1/reports/tasks-completed?weeks=0",
      "/api/v1/reports/tasks-completed?weeks=105",
      "/api/v1/reports/tasks-completed?format=xml",
    ]) {
      const response = await get("admin", path);
      expect([path, response.status]).toEqual([path, 422]);
    }
  });

  test("401 when signed out", async () => {
    for (const path of ["/api/v1/reports/hours", "/api/v1/reports/invoices", "/api/v1/reports/tasks-completed"]) {
      expect((await box.fetch(path)).status).toBe(401);
    }
  });
});

/** JSON rows as the CSV should hold them: a header, then each value as text (null as empty). */
function tableOf(rows: Record<string, unknown>[], columns: string[]): string[][] {
  return [columns, ...rows.map((row) => columns.map((column) => (row[column] === null ? "" : String(row[column]))))];
}
