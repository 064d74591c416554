import { expect, test } from "bun:test";
import { subjectHref } from "./data.ts";

test("the feed links each kind of record to its page, and says nothing for one without a page", () => {
  expect(subjectHref("bill", "bil_1")).toBe("/bills/bil_1");
  expect(subjectHref("document", "doc_1")).toBe("/documents/doc_1");
  expect(subjectHref("broadcast", "brd_1")).toBe("/broadcasts/brd_1");
  expect(subjectHref("agent", "stuck-tasks")).toBe("/agents/stuck-tasks");
  expect(subjectHref("invoice", "inv_1")).toBe("/invoices/inv_1");
  expect(subjectHref("payroll", "x")).toBeNull();
});
