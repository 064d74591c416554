import { describe, expect, test } from "bun:test";
import { isId, newId } from "./ids.ts";

describe("newId", () => {
  test("ids made in the same millisecond still sort in the order they were made", () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 500 }, () => newId("tsk", now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => isId("tsk", id))).toBe(true);
  });

  test("a back-dated id sorts before today's and does not disturb the sequence", () => {
    const now = Date.now() + 120_000;
    const first = newId("tsk", now);
    const old = newId("tsk", Date.parse("2020-01-01T00:00:00Z"));
    const second = newId("tsk", now);
    expect(old < first).toBe(true);
    expect(first < second).toBe(true);
  });
});
