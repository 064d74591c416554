import { describe, expect, test } from "bun:test";
import {
  addDays,
  dayOf,
  daysBetween,
  daysOfWeek,
  formatDay,
  isCalendarDay,
  isMonday,
  isoWeekLabel,
  splitByDay,
  startOfDay,
  todayUtc,
  weekStartOf,
} from "./days.ts";

describe("days", () => {
  test("today and the day of an instant are UTC days, whatever the local time zone", () => {
    expect(todayUtc(new Date("2026-03-31T23:59:59.999Z"))).toBe("2026-03-31");
    expect(dayOf(new Date("2026-04-01T00:00:00.000Z"))).toBe("2026-04-01");
    expect(todayUtc()).toBe(new Date().toISOString().slice(0, 10));
    expect(startOfDay("2026-03-31").toISOString()).toBe("2026-03-31T00:00:00.000Z");
  });

  test("adding days crosses months, years and leap days", () => {
    expect(addDays("2026-01-30", 30)).toBe("2026-03-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(daysBetween("2026-01-01", "2026-03-01")).toBe(59);
    expect(daysBetween("2026-03-01", "2026-03-01")).toBe(0);
  });

  test("weeks start on Monday and are labelled by ISO week", () => {
    expect(weekStartOf("2026-03-01")).toBe("2026-02-23"); // a Sunday
    expect(weekStartOf("2026-02-23")).toBe("2026-02-23");
    expect(isMonday("2026-02-23")).toBe(true);
    expect(isMonday("2026-03-01")).toBe(false);
    expect(daysOfWeek("2026-02-23")).toEqual([
      "2026-02-23",
      "2026-02-24",
      "2026-02-25",
      "2026-02-26",
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
    ]);
    expect(isoWeekLabel("2025-02-10")).toBe("2025-W07");
    expect(isoWeekLabel("2024-12-30")).toBe("2025-W01");
  });

  test("only days that exist are calendar days", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2026-02-29")).toBe(false);
    expect(isCalendarDay("2026-02-31")).toBe(false);
    expect(isCalendarDay("2026-13-01")).toBe(false);
  });

  test("a running time splits at each UTC midnight into whole minutes, rounded up", () => {
    expect(splitByDay(new Date("2026-03-01T23:30:00Z"), new Date("2026-03-02T00:10:30Z"))).toEqual([
      { date: "2026-03-01", minutes: 30 },
      { date: "2026-03-02", minutes: 11 },
    ]);
    expect(splitByDay(new Date("2026-03-01T10:00:00Z"), new Date("2026-03-01T10:00:00Z"))).toEqual([
      { date: "2026-03-01", minutes: 1 },
    ]);
  });
});

describe("formatDay", () => {
  test("a day reads as '31 Mar 2026', the same in every time zone", () => {
    expect(formatDay("2026-03-31")).toBe("31 Mar 2026");
    expect(formatDay("2030-01-01")).toBe("1 Jan 2030");
  });

  test("no day is a dash, and text that is not a day is shown as it is", () => {
    expect(formatDay(null)).toBe("—");
    expect(formatDay("")).toBe("—");
    expect(formatDay("someday")).toBe("someday");
  });
});
