import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { formatHours, formatMinutes } from "../../tools/durations.ts";
import { createTimeWorld, logTime, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;

const week = "2025-03-03";
const weekEnd = "2025-03-09";
/** Each person's entries of the week: [day, minutes, billable]. */
const logged: Record<"member" | "outsider", [string, number, boolean][]> = {
  // 21 h 55 min, 7 h 40 min of it billable.
  member: [
    ["2025-03-03", 480, true],
    ["2025-03-04", 455, false],
    ["2025-03-06", 380, false],
  ],
  // 75 h 35 min: what the member's sheet showed on top of their own (97 h 30 min in all).
  outsider: [
    ["2025-03-03", 600, true],
    ["2025-03-04", 720, true],
    ["2025-03-05", 720, false],
    ["2025-03-07", 720, false],
    ["2025-03-08", 800, true],
    ["2025-03-09", 975, false],
  ],
};

const sumOf = (who: keyof typeof logged, billableOnly = false) =>
  logged[who].filter(([, , billable]) => billable || !billableOnly).reduce((sum, [, minutes]) => sum + minutes, 0);

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
  for (const who of ["member", "outsider"] as const) {
    for (const [date, minutes, billable] of logged[who]) {
      await logTime(w.as[who], { date, minutes, projectId: w.projectId, billable });
    }
    // Time on the days around the week belongs to other weeks.
    await logTime(w.as[who], { date: "2025-03-02", minutes: 90, projectId: w.projectId });
    await logTime(w.as[who], { date: "2025-03-10", minutes: 90, projectId: w.projectId });
    const submitted = await w.as[who]("POST", "/api/v1/timesheets/submit", { weekStart: week });
    expect(submitted.status).toBe(201);
  }
});
afterAll(() => box.close());

const page = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie } });

describe("a week's total is the sum of its person's entries, everywhere", () => {
  test("GET /api/v1/timesheets gives each person their own week's minutes, not the organisation's", async () => {
    expect(sumOf("member")).toBe(21 * 60 + 55);
    const response = await w.as.manager("GET", `/api/v1/timesheets?userId=all&week=${week}`);
    expect(response.status).toBe(200);
    const list = (await response.json()) as { data: { userId: string; minutes: number; billableMinutes: number }[] };
    const byPerson = new Map(list.data.map((sheet) => [sheet.userId, sheet]));
    expect(list.data).toHaveLength(2);
    for (const who of ["member", "outsider"] as const) {
      expect(byPerson.get(w.ids[who])).toMatchObject({ minutes: sumOf(who), billableMinutes: sumOf(who, true) });
    }
    // The person's own list and the single sheet agree.
    const own = (await (await w.as.member("GET", `/api/v1/timesheets?week=${week}`)).json()) as {
      data: { id: string; minutes: number; billableMinutes: number }[];
    };
    expect(own.data.map((sheet) => sheet.minutes)).toEqual([sumOf("member")]);
    const one = (await (await w.as.member("GET", `/api/v1/timesheets/${own.data[0]?.id}`)).json()) as {
      minutes: number;
      billableMinutes: number;
    };
    expect(one).toMatchObject({ minutes: sumOf("member"), billableMinutes: sumOf("member", true) });
  });

  test("the CSV's entries of each person add up to the same week totals", async () => {
    const response = await w.as.manager("GET", `/api/v1/time-entries.csv?userId=all&from=${week}&to=${weekEnd}`);
    expect(response.status).toBe(200);
    const [header = "", ...lines] = (await response.text()).trim().split("\r\n");
    const columns = header.split(",");
    const user = columns.indexOf("user_id");
    const minutes = columns.indexOf("minutes");
    const totals = new Map<string, number>();
    for (const line of lines) {
      const cells = line.split(",");
      totals.set(cells[user] ?? "", (totals.get(cells[user] ?? "") ?? 0) + Number(cells[minutes]));
    }
    expect(Object.fromEntries(totals)).toEqual({
      [w.ids.member]: sumOf("member"),
      [w.ids.outsider]: sumOf("outsider"),
    });
  });

  test("the console's team week, totals page and each person's week show the same totals", async () => {
    const team = await (await page(`/time/team?week=${week}`, w.cookies.manager)).text();
    for (const who of ["member", "outsider"] as const) {
      const row = team.match(new RegExp(`<tr id="person-${w.ids[who]}"[\\s\\S]*?</tr>`))?.[0] ?? "";
      expect(row).toContain(`title="${formatMinutes(sumOf(who))}">${formatHours(sumOf(who))}</td>`);
      expect(row).toContain(`<td>${formatHours(sumOf(who, true))}</td>`);
      const own = await (await page(`/time?week=${week}&user=${w.ids[who]}`, w.cookies.manager)).text();
      expect(own).toContain(`<strong>${formatMinutes(sumOf(who))}</strong>`);
    }
    const totals = await (await page(`/time/totals?from=${week}&to=${weekEnd}`, w.cookies.manager)).text();
    const byPerson = totals.slice(totals.indexOf('id="totals-person"'));
    for (const [who, name] of [
      ["member", "Mo Member"],
      ["outsider", "Oz Outsider"],
    ] as const) {
      expect(byPerson).toContain(
        `<th scope="row">${name}</th><td title="${formatMinutes(sumOf(who))}">${formatHours(sumOf(who))}</td>`,
      );
    }
  });
});
