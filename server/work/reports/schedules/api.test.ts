import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { mailAttachments, mailMessages } from "../../../../models/mail.ts";
import { readStoredBytes } from "../../../mail/attachments.ts";
import { setOrganizationTimeZone } from "../../../organization-time-zone.ts";
import type { TestApp } from "../../../testing/harness.ts";
import { consoleHeaders, createOrganization, createUser, sessionCookie, setUpBox } from "../../../testing/identity.ts";
import { startInProcessApp } from "../../../testing/in-process.ts";
import { todayUtc } from "../../../tools/days.ts";
import { apiAs, type Call, errorOf, jsonOf } from "../../approvals/test-kit.ts";
import { seedTime } from "../report-test-kit.ts";
import type { ReportScheduleJson } from "./schemas.ts";

let box: TestApp;
let orgId = "";
let adminId = "";
let maxId = "";
let asAdmin: Call;
let asMia: Call;
let asGlobex: Call;

beforeAll(async () => {
  box = await startInProcessApp();
  ({ orgId, adminId } = await setUpBox(box));
  setOrganizationTimeZone(box.deps.db, orgId, "Europe/Berlin", new Date());
  const mia = await createUser(box, { orgId, role: "manager", name: "Mia", email: "mia@acme.test" });
  maxId = await createUser(box, { orgId, role: "member", name: "Max", email: "max@acme.test" });
  const globex = await createOrganization(box, "Globex");
  asAdmin = apiAs(box, adminId, orgId);
  asMia = apiAs(box, mia, orgId);
  asGlobex = apiAs(box, globex.adminId, globex.orgId);
  // Time in every week of the last two months, so that "last week" has rows whatever today is.
  for (let days = 1; days <= 60; days += 3) {
    const date = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    seedTime(box, orgId, { userId: maxId, date, minutes: 45 });
  }
});
afterAll(() => box.close());

const weekly = () => ({
  name: "Weekly hours",
  report: "hours_by_project",
  period: "last_week",
  frequency: "weekly",
  weekday: 1,
  hour: 8,
  recipientIds: [adminId, maxId],
  formats: ["csv", "pdf"],
});

async function create(body: Record<string, unknown> = weekly()): Promise<ReportScheduleJson> {
  return jsonOf<ReportScheduleJson>(await asAdmin("POST", "/api/v1/report-schedules", body), 201);
}

describe("/api/v1/report-schedules", () => {
  test("an admin schedules a report: local hour, zone, next run; lists, reads, changes and deletes it", async () => {
    const created = await create();
    expect(created).toMatchObject({
      name: "Weekly hours",
      reportLabel: "Hours by project",
      timeZone: "Europe/Berlin",
      cadence: "every Monday at 08:00",
      enabled: true,
      sendRequested: false,
      lastSentAt: null,
    });
    // The next Monday, 08:00 in Berlin: 06:00 or 07:00 UTC.
    const next = new Date(created.nextRunAt ?? "");
    expect(next.getUTCDay()).toBe(1);
    expect([6, 7]).toContain(next.getUTCHours());

    const list = await jsonOf<{ data: ReportScheduleJson[] }>(await asAdmin("GET", "/api/v1/report-schedules"), 200);
    expect(list.data.map((item) => item.id)).toContain(created.id);

    const read = await asAdmin("GET", `/api/v1/report-schedules/${created.id}`);
    const etag = read.headers.get("ETag") ?? "";
    expect(etag).not.toBe("");
    await read.body?.cancel();
    const changed = await jsonOf<ReportScheduleJson>(
      await asAdmin(
        "PATCH",
        `/api/v1/report-schedules/${created.id}`,
        { frequency: "monthly", monthDay: 1 },
        {
          "If-Match": etag,
        },
      ),
      200,
    );
    expect(changed.cadence).toBe("monthly on day 1 at 08:00");
    const stale = await asAdmin("PATCH", `/api/v1/report-schedules/${created.id}`, { hour: 9 }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    await stale.body?.cancel();

    expect((await asAdmin("DELETE", `/api/v1/report-schedules/${created.id}`)).status).toBe(204);
    expect((await asAdmin("GET", `/api/v1/report-schedules/${created.id}`)).status).toBe(404);
  });

  test("422 names the field: a weekly schedule without its weekday, a member chosen for invoices", async () => {
    const noDay = await asAdmin("POST", "/api/v1/report-schedules", { ...weekly(), weekday: undefined });
    expect(noDay.status).toBe(422);
    expect((await errorOf(noDay)).details).toMatchObject([{ path: "weekday", message: "Choose a weekday." }]);
    const invoices = await asAdmin("POST", "/api/v1/report-schedules", { ...weekly(), report: "invoices_by_month" });
    expect(invoices.status).toBe(422);
    expect((await errorOf(invoices)).details).toEqual([
      { path: "recipientIds", message: "Max may not see invoices by month on the Reports page." },
    ]);
  });

  test("a manager (no reports.manage) gets 403 on every route", async () => {
    const { id } = await create();
    const calls: [string, string, unknown?][] = [
      ["GET", "/api/v1/report-schedules"],
      ["POST", "/api/v1/report-schedules", weekly()],
      ["GET", `/api/v1/report-schedules/${id}`],
      ["PATCH", `/api/v1/report-schedules/${id}`, { hour: 9 }],
      ["DELETE", `/api/v1/report-schedules/${id}`],
      ["POST", `/api/v1/report-schedules/${id}/runs`],
    ];
    for (const [method, path, body] of calls) {
      const response = await asMia(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 403]);
      await response.body?.cancel();
    }
  });

  test("another organisation's admin gets 404 on each route of the schedule and never lists it", async () => {
    const { id } = await create();
    const calls: [string, string, unknown?][] = [
      ["GET", `/api/v1/report-schedules/${id}`],
      ["PATCH", `/api/v1/report-schedules/${id}`, { hour: 9 }],
      ["DELETE", `/api/v1/report-schedules/${id}`],
      ["POST", `/api/v1/report-schedules/${id}/runs`],
    ];
    for (const [method, path, body] of calls) {
      const response = await asGlobex(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 404]);
      await response.body?.cancel();
    }
    const list = await jsonOf<{ data: ReportScheduleJson[] }>(await asGlobex("GET", "/api/v1/report-schedules"), 200);
    expect(list.data).toEqual([]);
    expect((await asAdmin("GET", `/api/v1/report-schedules/${id}`)).status).toBe(200);
  });

  test("POST /{id}/runs sends it now through the job runtime; the CSV is what the recipient's Reports page gives", async () => {
    const { id } = await create({ ...weekly(), name: "Sent now", recipientIds: [maxId] });
    const queued = await jsonOf<{ scheduleId: string; runId: string }>(
      await asAdmin("POST", `/api/v1/report-schedules/${id}/runs`),
      202,
    );
    expect(queued.scheduleId).toBe(id);
    const mail = await waitForReport("max@acme.test", "Sent now");
    const files = box.deps.db.select().from(mailAttachments).where(eq(mailAttachments.messageId, mail.id)).all();
    const csvFile = files.find((file) => file.fileName.endsWith(".csv"));
    const range = /(\d{4}-\d\d-\d\d)-to-(\d{4}-\d\d-\d\d)/.exec(csvFile?.fileName ?? "");
    const sentCsv = new TextDecoder().decode(readStoredBytes(box.dataDir, csvFile?.sha256 ?? "") ?? new Uint8Array());
    const page = await box.fetch(`/reports/hours.csv?groupBy=project&from=${range?.[1]}&to=${range?.[2]}`, {
      headers: consoleHeaders(box, sessionCookie(box, maxId, orgId)),
    });
    expect(sentCsv).toBe(await page.text());
    expect(sentCsv).toContain("No project");
    expect((range?.[2] ?? "") < todayUtc(new Date(Date.now() + 86_400_000))).toBe(true);
    expect(files.some((file) => file.fileName.endsWith(".pdf"))).toBe(true);

    const after = await jsonOf<ReportScheduleJson>(await asAdmin("GET", `/api/v1/report-schedules/${id}`), 200);
    expect(after.sendRequested).toBe(false);
    expect(after.lastResult).toBe("sent to Max.");
    const runs = await jsonOf<{ data: { id: string; jobId: string; status: string }[] }>(
      await asAdmin("GET", "/api/v1/jobs"),
      200,
    );
    expect(runs.data.find((run) => run.id === queued.runId)).toMatchObject({ jobId: "reports.scheduled" });
  });
});

/** Waits for the background job's e-mail of the schedule named `name` to `to`. */
async function waitForReport(to: string, name: string) {
  for (let attempt = 0; attempt < 250; attempt++) {
    const mail = box.deps.db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, to), eq(mailMessages.template, "scheduled_report")))
      .all()
      .find((item) => item.subject.startsWith(`${name}:`));
    if (mail) return mail;
    await Bun.sleep(20);
  }
  throw new Error(`no scheduled report "${name}" to ${to}`);
}
