import { describe, expect, test } from "bun:test";
import { formatHours, formatMinutes } from "./durations.ts";

describe("durations", () => {
  test("minutes read as hours and minutes, leaving out a zero part", () => {
    expect(formatMinutes(0)).toBe("0 min");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(120)).toBe("2 h");
    expect(formatMinutes(450)).toBe("7 h 30 min");
  });

  test("grids show compact hours", () => {
    expect(formatHours(0)).toBe("0:00");
    expect(formatHours(450)).toBe("7:30");
    expect(formatHours(605)).toBe("10:05");
  });
});
