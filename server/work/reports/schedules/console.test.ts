import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { reportSchedules } from "../../../../models/report-schedules.ts";
import { postForm } from "../../../auth/people/people-test-kit.ts";
import { setOrganizationTimeZone } from "../../../organization-time-zone.ts";
import type { TestApp } from "../../../testing/harness.ts";
import { createOrganization, createUser, sessionCookie, setUpBox } from "../../../testing/identity.ts";
import { startInProcessApp } from "../../../testing/in-process.ts";

let box: TestApp;
let orgId = "";
let adminId = "";
let maxId = "";
const cookies: Record<string, string> = {};

beforeAll(async () => {
  box = await startInProcessApp();
  ({ orgId, adminId } = await setUpBox(box));
  setOrganizationTimeZone(box.deps.db, orgId, "America/New_York", new Date());
  maxId = await createUser(box, { orgId, role: "member", name: "Max Member" });
  const mia = await createUser(box, { orgId, role: "manager", name: "Mia Manager" });
  const globex = await createOrganization(box, "Globex");
  cookies.admin = sessionCookie(box, adminId, orgId);
  cookies.max = sessionCookie(box, maxId, orgId);
  cookies.mia = sessionCookie(box, mia, orgId);
  cookies.globex = sessionCookie(box, globex.adminId, globex.orgId);
});
afterAll(() => box.close());

const page = (path: string, who: string) => box.fetch(path, { headers: { Cookie: cookies[who] ?? "" } });

const form = (values: Record<string, string | string[]> = {}) => ({
  name: "Monday hours",
  report: "hours_by_project",
  period: "last_week",
  weeks: "12",
  frequency: "weekly",
  weekday: "1",
  monthDay: "1",
  hour: "8",
  recipientIds: [adminId, maxId],
  formats: ["csv", "pdf"],
  enabled: "on",
  ...values,
});

describe("/reports", () => {
  test("an admin is offered 'Schedule this report' under each report; a member is not", async () => {
    const html = await (await page("/reports", "admin")).text();
    expect(html).toContain('href="/reports/schedules/new?report=hours_by_project"');
    expect(html).toContain('href="/reports/schedules/new?report=invoices_by_month"');
    expect(html).toContain('href="/reports/schedules"');
    expect(await (await page("/reports", "max")).text()).not.toContain("/reports/schedules");
  });
});

describe("/reports/schedules", () => {
  test("the form starts from the report chosen on the Reports page, in the organisation's zone", async () => {
    const html = await (await page("/reports/schedules/new?report=invoices_by_status", "admin")).text();
    expect(html).toContain('<option value="invoices_by_status" selected="">Invoices by status</option>');
    expect(html).toContain("When (America/New_York)");
    expect(html).toContain("Max Member");
  });

  test("a refused form is drawn again with 422, what was typed and the field errors", async () => {
    const response = await postForm(
      box,
      cookies.admin ?? "",
      "/reports/schedules",
      form({ name: "Kept as typed", recipientIds: [], formats: [], hour: "9" }),
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain("Choose at least one person.");
    expect(html).toContain("Choose CSV, PDF or both.");
    expect(html).toContain('value="Kept as typed"');
    expect(html).toContain('<option value="9" selected="">09:00</option>');

    const member = await postForm(
      box,
      cookies.admin ?? "",
      "/reports/schedules",
      form({ report: "invoices_by_status", recipientIds: [maxId] }),
    );
    expect(member.status).toBe(422);
    expect(await member.text()).toContain("Max Member may not see invoices by status on the Reports page.");
  });

  test("a saved schedule is listed with its next run in words and the zone; edit, Send now and delete work", async () => {
    const saved = await postForm(box, cookies.admin ?? "", "/reports/schedules", form());
    expect(saved.headers.get("HX-Redirect")).toBe("/reports/schedules?done=saved");
    const schedule = box.deps.db.select().from(reportSchedules).where(eq(reportSchedules.name, "Monday hours")).get();
    const id = schedule?.id ?? "";
    const list = await (await page("/reports/schedules", "admin")).text();
    expect(list).toContain("America/New_York");
    expect(list).toContain("every Monday at 08:00");
    expect(list).toMatch(/Mon \d{1,2} \w{3} \d{4}, 08:00 \(in \d+ (day|hour|minute)s?\)/);
    expect(list).toContain("Ada Admin, Max Member");

    const edited = await postForm(box, cookies.admin ?? "", `/reports/schedules/${id}`, form({ hour: "7" }));
    expect(edited.headers.get("HX-Redirect")).toBe("/reports/schedules?done=saved");
    const editPage = await (await page(`/reports/schedules/${id}/edit`, "admin")).text();
    expect(editPage).toContain('<option value="7" selected="">07:00</option>');

    const sent = await postForm(box, cookies.admin ?? "", `/reports/schedules/${id}/send`, {});
    expect(sent.headers.get("HX-Redirect")).toBe("/reports/schedules?done=sending");

    const deleted = await postForm(box, cookies.admin ?? "", `/reports/schedules/${id}/delete`, {});
    expect(deleted.headers.get("HX-Redirect")).toBe("/reports/schedules?done=deleted");
    expect((await page(`/reports/schedules/${id}/edit`, "admin")).status).toBe(404);
  });

  test("another organisation's admin gets 404 on each page and action of a schedule; a manager 403", async () => {
    await postForm(box, cookies.admin ?? "", "/reports/schedules", form({ name: "Private" }));
    const id = box.deps.db.select().from(reportSchedules).where(eq(reportSchedules.name, "Private")).get()?.id ?? "";
    expect((await page(`/reports/schedules/${id}/edit`, "globex")).status).toBe(404);
    for (const action of ["", "/send", "/delete"]) {
      const response = await postForm(box, cookies.globex ?? "", `/reports/schedules/${id}${action}`, form());
      expect([action, response.status]).toEqual([action, 404]);
    }
    expect(await (await page("/reports/schedules", "globex")).text()).not.toContain("Private");
    expect((await page("/reports/schedules", "mia")).status).toBe(403);
    expect((await postForm(box, cookies.mia ?? "", "/reports/schedules", form())).status).toBe(403);
  });
});
