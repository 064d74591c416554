import { describe, expect, test } from "bun:test";
import { describeCadence, latestSlot, nextSlotAt, zonedInstant } from "./local-slots.ts";

const mondayAt8 = { frequency: "weekly", weekday: 1, hour: 8 } as const;
const at = (iso: string) => new Date(iso);

describe("latestSlot", () => {
  test("a weekly slot comes at the local hour in Berlin (07:00 UTC in winter), not at the UTC hour", () => {
    // Monday 2030-01-07: 07:59 in Berlin is before the slot, 08:00 is the slot.
    expect(latestSlot(at("2030-01-07T06:59:00Z"), "Europe/Berlin", mondayAt8)).toBe("2029-12-31");
    expect(latestSlot(at("2030-01-07T07:00:00Z"), "Europe/Berlin", mondayAt8)).toBe("2030-01-07");
    // In UTC the same instant is still before 08:00.
    expect(latestSlot(at("2030-01-07T07:00:00Z"), "UTC", mondayAt8)).toBe("2029-12-31");
  });

  test("a slot already reached stays the latest through the following days (a stopped box catches up once)", () => {
    expect(latestSlot(at("2030-01-09T15:00:00Z"), "Europe/Berlin", mondayAt8)).toBe("2030-01-07");
    expect(latestSlot(at("2030-01-27T15:00:00Z"), "Europe/Berlin", mondayAt8)).toBe("2030-01-21");
  });

  test("the local day can differ from the UTC day: Auckland's Monday 08:00 is Sunday evening in UTC", () => {
    expect(latestSlot(at("2030-01-06T19:00:00Z"), "Pacific/Auckland", mondayAt8)).toBe("2030-01-07");
  });

  test("a monthly slot on day 31 falls on the last day of shorter months", () => {
    const cadence = { frequency: "monthly", monthDay: 31, hour: 6 } as const;
    expect(latestSlot(at("2030-02-28T06:00:00Z"), "UTC", cadence)).toBe("2030-02-28");
    expect(latestSlot(at("2030-02-28T05:59:00Z"), "UTC", cadence)).toBe("2030-01-31");
    expect(latestSlot(at("2030-03-15T00:00:00Z"), "UTC", cadence)).toBe("2030-02-28");
  });
});

describe("nextSlotAt", () => {
  test("is the next local hour as an instant, across daylight saving time", () => {
    expect(nextSlotAt(at("2030-01-06T12:00:00Z"), "Europe/Berlin", mondayAt8).toISOString()).toBe(
      "2030-01-07T07:00:00.000Z",
    );
    // Summer time: 08:00 in Berlin is 06:00 UTC.
    expect(nextSlotAt(at("2030-07-02T12:00:00Z"), "Europe/Berlin", mondayAt8).toISOString()).toBe(
      "2030-07-08T06:00:00.000Z",
    );
    // At the slot itself, the next one is a week on.
    expect(nextSlotAt(at("2030-01-07T07:00:00Z"), "Europe/Berlin", mondayAt8).toISOString()).toBe(
      "2030-01-14T07:00:00.000Z",
    );
  });

  test("zonedInstant reads a wall clock in the zone", () => {
    expect(zonedInstant("2030-07-01", 8, "America/New_York").toISOString()).toBe("2030-07-01T12:00:00.000Z");
    expect(zonedInstant("2030-01-01", 0, "UTC").toISOString()).toBe("2030-01-01T00:00:00.000Z");
  });

  test("an hour the clocks skip is the first minute after the gap, east and west of UTC", () => {
    // Berlin, 31 Mar 2024: 02:00 → 03:00 CEST (01:00Z); New York, 10 Mar 2024: 02:00 → 03:00 EDT (07:00Z).
    expect(zonedInstant("2024-03-31", 2, "Europe/Berlin").toISOString()).toBe("2024-03-31T01:00:00.000Z");
    expect(zonedInstant("2024-03-10", 2, "America/New_York").toISOString()).toBe("2024-03-10T07:00:00.000Z");
    // Beirut, 31 Mar 2024: midnight → 01:00 EEST (22:00Z the day before), still on the 31st locally.
    expect(zonedInstant("2024-03-31", 0, "Asia/Beirut").toISOString()).toBe("2024-03-30T22:00:00.000Z");
  });
});

test("describeCadence says it in words", () => {
  expect(describeCadence(mondayAt8)).toBe("every Monday at 08:00");
  expect(describeCadence({ frequency: "monthly", monthDay: 1, hour: 7 })).toBe("monthly on day 1 at 07:00");
});
