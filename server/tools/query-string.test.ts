import { describe, expect, test } from "bun:test";
import { queryString } from "./query-string.ts";

describe("queryString", () => {
  test("keeps the non-empty values, encoded, in order", () => {
    expect(queryString({ status: "open", q: "a&b c", project: "", assignee: undefined, page: "2" })).toBe(
      "?status=open&q=a%26b+c&page=2",
    );
  });

  test("no values is no query string at all", () => {
    expect(queryString({})).toBe("");
    expect(queryString({ q: "", status: undefined })).toBe("");
  });
});
