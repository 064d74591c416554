import { describe, expect, test } from "bun:test";
import { isId, newId } from "./ids.ts";

describe("newId", () => {
  test("ids made in the same millisecond still sort in the order they were made", () => {
    const now = Date.now();
    const ids = Array.from({ length: 500 }, () => newId("tsk", now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => isId("tsk", id))).toBe(true);
  });

  test("a back-dated id sorts before today's and does not disturb the sequence", () => {
    const now = Date.now();
    const first = newId("tsk", now);
    const old = newId("tsk", Date.parse("2020-01-01T00:00:00Z"));
    const second = newId("tsk", now);
    expect(old < first).toBe(true);
    expect(first < second).toBe(true);
  });

  test("after an id a few seconds ahead, ids made now still increase within their millisecond", () => {
    const now = Date.now();
    newId("tsk", now + 5_000);
    const ids = Array.from({ length: 50 }, () => newId("tsk", now));
    expect([...ids].sort()).toEqual(ids);
  });

  test("an id dated a year ahead (a test's clock) does not stop ids made now from increasing", () => {
    const now = Date.now();
    newId("tsk", now + 365 * 86_400_000);
    const ids = Array.from({ length: 50 }, () => newId("tsk", now));
    expect([...ids].sort()).toEqual(ids);
  });
});
