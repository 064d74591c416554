import { describe, expect, test } from "bun:test";
import { endOfLocalDay } from "./local-slots.ts";

describe("endOfLocalDay", () => {
  test("the next local midnight, as an instant", () => {
    expect(endOfLocalDay(new Date("2030-01-07T12:00:00Z"), "UTC").toISOString()).toBe("2030-01-08T00:00:00.000Z");
    expect(endOfLocalDay(new Date("2030-01-07T12:00:00Z"), "America/New_York").toISOString()).toBe(
      "2030-01-08T05:00:00.000Z",
    );
    // 01:30 in Tokyo on the 8th while it is still the 7th in UTC.
    expect(endOfLocalDay(new Date("2030-01-07T16:30:00Z"), "Asia/Tokyo").toISOString()).toBe(
      "2030-01-08T15:00:00.000Z",
    );
  });

  test("days of 23 and 25 hours where the clocks change", () => {
    // Berlin springs forward on 31 March 2030 (CET → CEST) and falls back on 27 October.
    expect(endOfLocalDay(new Date("2030-03-31T00:30:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2030-03-31T22:00:00.000Z",
    );
    expect(endOfLocalDay(new Date("2030-10-27T00:30:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2030-10-27T23:00:00.000Z",
    );
  });
});
