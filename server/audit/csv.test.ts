import { expect, test } from "bun:test";
import { csvCell, csvLine } from "./csv.ts";

test("plain values stay as they are; empty for null", () => {
  expect(csvLine(["aud_1", 42, null, undefined, "user.role_changed"])).toBe("aud_1,42,,,user.role_changed\r\n");
});

test("commas, quotes and line breaks are quoted, quotes doubled", () => {
  expect(csvCell("a,b")).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  expect(csvCell("carriage\rreturn")).toBe('"carriage\rreturn"');
});

test("cells a spreadsheet would run as a formula start with a single quote", () => {
  for (const formula of ["=SUM(A1:A9)", "+1", "-2", "@cmd", "\tTAB"]) expect(csvCell(formula)).toStartWith("'");
  expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
  expect(csvCell("a=b")).toBe("a=b");
});

test("dates are ISO 8601 and objects JSON", () => {
  expect(csvCell(new Date("2030-01-01T00:00:00Z"))).toBe("2030-01-01T00:00:00.000Z");
  expect(csvCell({ role: { from: "viewer", to: "admin" } })).toBe(
    '"{""role"":{""from"":""viewer"",""to"":""admin""}}"',
  );
});
