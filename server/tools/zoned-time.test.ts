import { describe, expect, test } from "bun:test";
import { dueSlot, isTimeZone, knownTimeZones, wallClock } from "./zoned-time.ts";

describe("wall clocks in a time zone", () => {
  test("the same instant is a different day and hour in Berlin, New York and Auckland", () => {
    const instant = new Date("2026-03-06T23:30:00Z"); // a Friday night in UTC
    expect(wallClock(instant, "UTC")).toEqual({ day: "2026-03-06", weekday: 5, hour: 23, minute: 30 });
    expect(wallClock(instant, "Europe/Berlin")).toEqual({ day: "2026-03-07", weekday: 6, hour: 0, minute: 30 });
    expect(wallClock(instant, "America/New_York")).toEqual({ day: "2026-03-06", weekday: 5, hour: 18, minute: 30 });
    expect(wallClock(instant, "Pacific/Auckland").day).toBe("2026-03-07");
  });

  test("summer time moves the local hour", () => {
    expect(wallClock(new Date("2026-01-15T12:00:00Z"), "Europe/Berlin").hour).toBe(13);
    expect(wallClock(new Date("2026-07-15T12:00:00Z"), "Europe/Berlin").hour).toBe(14);
  });

  test("unknown zones are refused; the list starts with UTC", () => {
    expect(isTimeZone("Europe/Berlin")).toBe(true);
    expect(isTimeZone("Mars/Base")).toBe(false);
    expect(isTimeZone("")).toBe(false);
    expect(knownTimeZones()[0]).toBe("UTC");
    expect(knownTimeZones()).toContain("America/New_York");
  });
});

describe("due slots", () => {
  test("a morning slot is due from its hour on that local day, not before", () => {
    expect(dueSlot(new Date("2026-03-06T05:59:00Z"), "Europe/Berlin", { hour: 7 })).toBeNull();
    expect(dueSlot(new Date("2026-03-06T06:00:00Z"), "Europe/Berlin", { hour: 7 })).toBe("2026-03-06");
    expect(dueSlot(new Date("2026-03-06T22:00:00Z"), "Europe/Berlin", { hour: 7 })).toBe("2026-03-06");
    expect(dueSlot(new Date("2026-03-06T23:00:00Z"), "Europe/Berlin", { hour: 7 })).toBeNull();
  });

  test("a weekly slot is due only on its weekday", () => {
    const fridayAfternoon = { weekday: 5, hour: 15 };
    expect(dueSlot(new Date("2026-03-06T14:30:00Z"), "Europe/Berlin", fridayAfternoon)).toBe("2026-03-06");
    expect(dueSlot(new Date("2026-03-06T13:30:00Z"), "Europe/Berlin", fridayAfternoon)).toBeNull();
    expect(dueSlot(new Date("2026-03-05T14:30:00Z"), "Europe/Berlin", fridayAfternoon)).toBeNull();
  });
});
