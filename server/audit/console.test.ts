import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { auditEvents } from "../../models/audit.ts";
import { collectPageErrors, launchBrowser, saveScreenshot } from "../testing/browser.ts";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { testWith } from "../testing/tools.ts";
import { recordAudit } from "./service.ts";

let box: TestApp;
let orgId: string;
let adminId: string;
let adminCookie: string;
let managerId: string;
let managerCookie: string;

beforeAll(async () => {
  box = await startTestApp();
  ({ orgId, adminId } = await setUpBox(box));
  adminCookie = sessionCookie(box, adminId, orgId);
  managerId = await createUser(box, { orgId, role: "manager", name: "Mia Manager" });
  managerCookie = sessionCookie(box, managerId, orgId);
  const other = await createOrganization(box, "Globex");
  const db = box.deps.db;
  const meta = { ipAddress: "203.0.113.9", userAgent: "curl/8", requestId: "req-42" };
  recordAudit(
    db,
    {
      orgId,
      action: "user.role_changed",
      actorUserId: adminId,
      targetType: "user",
      targetId: managerId,
      details: { role: { from: "viewer", to: "manager" } },
      meta,
    },
    new Date("2030-03-01T09:00:00Z"),
  );
  recordAudit(db, { orgId, action: "auth.sign_in", actorUserId: managerId, meta }, new Date("2030-03-02T09:00:00Z"));
  recordAudit(
    db,
    { orgId, action: "auth.sign_in_failed", targetType: "user", targetId: managerId, meta },
    new Date("2030-03-03T09:00:00Z"),
  );
  recordAudit(
    db,
    { orgId: other.orgId, action: "auth.sign_in", actorUserId: other.adminId, details: { secretOrg: "globex-only" } },
    new Date("2030-03-02T09:00:00Z"),
  );
});
afterAll(() => box.close());

async function page(query = "", cookie = adminCookie): Promise<{ status: number; html: string }> {
  const response = await box.fetch(`/settings/audit${query}`, { headers: { Cookie: cookie } });
  return { status: response.status, html: await response.text() };
}

describe("Settings → Audit log", () => {
  test("an admin sees the organisation's events with actor, target, address and details", async () => {
    const { status, html } = await page();
    expect(status).toBe(200);
    expect(html).toContain("<h1>Audit log</h1>");
    expect(html).toContain("user.role_changed");
    expect(html).toContain("Ada Admin");
    expect(html).toContain("203.0.113.9");
    expect(html).toContain("2030-03-01 09:00:00");
    expect(html).not.toContain("globex-only");
  });

  test("filters by action, person and days; the export link carries the filters", async () => {
    const byAction = await page("?action=auth.sign_in_failed");
    expect(byAction.html).toContain("auth.sign_in_failed</code>");
    expect(byAction.html).not.toContain("user.role_changed</code>");
    expect(byAction.html).toContain('href="/settings/audit/export.csv?action=auth.sign_in_failed"');
    const byPerson = await page(`?actorId=${managerId}`);
    expect(byPerson.html).toContain("auth.sign_in</code>");
    expect(byPerson.html).not.toContain("user.role_changed</code>");
    const byDays = await page("?from=2030-03-02&to=2030-03-02");
    expect(byDays.html).toContain("auth.sign_in</code>");
    expect(byDays.html).not.toContain("auth.sign_in_failed</code>");
    expect(byDays.html).not.toContain("user.role_changed</code>");
  });

  test("a bad date answers 422 with the field's error and keeps the other filters", async () => {
    const { status, html } = await page("?from=someday&action=auth.sign_in");
    expect(status).toBe(422);
    expect(html).toContain("Use a date like 2030-01-31.");
    expect(html).toMatch(/<option value="auth\.sign_in" selected/);
  });

  test("pages through older events", async () => {
    const db = box.deps.db;
    db.transaction((tx) => {
      for (let index = 0; index < 55; index += 1) {
        recordAudit(tx, { orgId, action: "test.paging" }, new Date(Date.parse("2020-01-01T00:00:00Z") + index * 1000));
      }
    });
    const first = await page("?action=test.paging");
    expect(first.html.match(/test\.paging<\/code>/g)).toHaveLength(50);
    const older = /href="(\/settings\/audit\?action=test\.paging&amp;cursor=[\w-]+)"/.exec(first.html)?.[1];
    expect(older).toBeString();
    const second = await page((older ?? "").replace("/settings/audit", "").replace("&amp;", "&"));
    expect(second.html.match(/test\.paging<\/code>/g)).toHaveLength(5);
    expect(second.html).toContain("Newest events");
    db.delete(auditEvents).where(eq(auditEvents.action, "test.paging")).run();
  });

  test("the CSV export downloads the filtered events and is itself audited", async () => {
    const response = await box.fetch("/settings/audit/export.csv?action=auth.sign_in", {
      headers: { Cookie: adminCookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toStartWith("attachment;");
    const records = (await response.text()).split("\r\n").filter(Boolean);
    expect(records).toHaveLength(2);
    expect(records[1]).toContain("auth.sign_in");
    const exported = box.deps.db.select().from(auditEvents).where(eq(auditEvents.action, "audit.exported")).all();
    expect(exported.at(-1)).toMatchObject({
      orgId,
      actorUserId: adminId,
      details: { filters: { action: "auth.sign_in" } },
    });
  });

  test("a manager gets 403 on the page and the export; anonymous people go to sign-in", async () => {
    expect((await page("", managerCookie)).status).toBe(403);
    expect((await box.fetch("/settings/audit/export.csv", { headers: { Cookie: managerCookie } })).status).toBe(403);
    const anonymous = await box.fetch("/settings/audit");
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toBe("/sign-in?next=%2Fsettings%2Faudit");
  });
});

testWith(
  "chromium",
  "in Chromium: choosing an action filters the table in place and updates the address",
  async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      const [name, value] = adminCookie.split("=") as [string, string];
      await context.addCookies([{ name, value, url: box.url }]);
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(`${box.url}/settings/audit`);
      await page.waitForFunction(() => "htmx" in window);
      await saveScreenshot(page, "audit-log");
      await page.selectOption('select[name="action"]', "auth.sign_in_failed");
      await page.waitForURL(/action=auth\.sign_in_failed/);
      await page.locator("#audit-results tbody tr").first().waitFor();
      const actions = await page.$$eval("#audit-results tbody tr td:nth-child(2)", (cells) =>
        cells.map((cell) => cell.textContent),
      );
      expect(actions).toEqual(["auth.sign_in_failed"]);
      expect(await page.getAttribute("#audit-results a[download]", "href")).toBe(
        "/settings/audit/export.csv?action=auth.sign_in_failed",
      );
      expect(await page.inputValue('select[name="action"]')).toBe("auth.sign_in_failed");
      await saveScreenshot(page, "audit-log-filtered");
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  },
  30_000,
);
