import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { createTimeWorld, logTime, type TimeWorld } from "./test-kit.ts";

let box: TestApp;
let w: TimeWorld;
let requestId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  w = await createTimeWorld(box);
  await logTime(w.as.member, { date: "2025-05-06", minutes: 135, projectId: w.projectId, note: "Boiler room" });
  const response = await w.as.member("POST", "/api/v1/timesheets/submit", { weekStart: "2025-05-05" });
  expect(response.status).toBe(201);
  requestId = ((await response.json()) as { approvalRequestId: string }).approvalRequestId;
});
afterAll(() => box.close());

const page = (path: string, cookie: string) => box.fetch(path, { headers: { Cookie: cookie } });

/** The href of the approval page's "Open the timesheet" link. */
function openLinkOf(html: string): string | null {
  const href = html.match(/<a href="([^"]+)">Open the timesheet<\/a>/)?.[1];
  return href ? href.replaceAll("&amp;", "&") : null;
}

describe("a timesheet approval's link to the timesheet", () => {
  test("opens the submitted person's week for the approver, with their entries", async () => {
    for (const approver of ["lead", "manager"] as const) {
      const html = await (await page(`/approvals/${requestId}`, w.cookies[approver])).text();
      const href = openLinkOf(html);
      expect(href).toBe(`/time?week=2025-05-05&user=${w.ids.member}`);
      const week = await page(href ?? "", w.cookies[approver]);
      expect(week.status).toBe(200);
      const text = await week.text();
      expect(text).toContain("Mo Member");
      expect(text).toContain("Boiler room");
    }
  });

  test("opens their own week for the person who submitted it", async () => {
    const html = await (await page(`/approvals/${requestId}`, w.cookies.member)).text();
    expect(openLinkOf(html)).toBe("/time?week=2025-05-05");
  });
});
