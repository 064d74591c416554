import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { extractText, getDocumentProxy } from "unpdf";
import { memberships } from "../../../../models/identity.ts";
import { reportSchedules } from "../../../../models/report-schedules.ts";
import { AppError } from "../../../http/errors.ts";
import { reportCsv } from "../csv.ts";
import { hoursReport } from "../tables.ts";
import { type ReportScheduleInput, reportScheduleInput } from "./schemas.ts";
import { sendDueReports } from "./send.ts";
import { createReportSchedule } from "./service.ts";
import { type SchedulesKit, schedulesKit } from "./test-kit.ts";

let kit: SchedulesKit;
beforeEach(() => {
  // Sunday 2030-01-06, 13:00 in Berlin.
  kit = schedulesKit("2030-01-06T12:00:00Z");
  kit.addHours(kit.acme, kit.people.max, "2030-01-02", 90, "Kitchen refit");
  kit.addHours(kit.acme, kit.people.leo, "2030-01-03", 30, "Bakery");
  kit.addHours(kit.acme, kit.people.max, "2030-01-07", 600, "Not last week");
  kit.addHours(kit.globex, kit.people.globexAdmin, "2030-01-02", 480, "Globex secret");
});
afterEach(() => kit.close());

function schedule(values: Partial<ReportScheduleInput> = {}) {
  const input = reportScheduleInput.parse({
    name: "Weekly hours",
    report: "hours_by_project",
    period: "last_week",
    frequency: "weekly",
    weekday: 1,
    hour: 8,
    recipientIds: [kit.people.admin, kit.people.max],
    formats: ["csv", "pdf"],
    ...values,
  });
  return createReportSchedule(kit.ctx(kit.people.admin), input, kit.clock.now);
}

const at = (iso: string) => {
  kit.clock.now = new Date(iso);
};

describe("the scheduled-reports job", () => {
  test("sends at 08:00 in the organisation's zone (07:00 UTC in Berlin's winter), once per slot", async () => {
    schedule();
    at("2030-01-07T06:55:00Z"); // 07:55 in Berlin
    await kit.runJob();
    expect(kit.mails()).toHaveLength(0);

    at("2030-01-07T07:00:00Z"); // 08:00 in Berlin
    await kit.runJob();
    const sent = kit.mails();
    expect(sent.map((mail) => mail.toAddress).sort()).toEqual(["ada@org_acme.test", "max@org_acme.test"]);
    expect(sent[0]?.subject).toBe("Weekly hours: Hours by project, 2029-12-31 to 2030-01-06 (UTC days)");
    expect(sent[0]?.textBody).toContain("https://box.example/reports?from=2029-12-31&to=2030-01-06&weeks=12");
    expect(sent[0]?.htmlBody).toContain("Open the report");

    // Five minutes later, and after a restart: the slot was sent, nothing goes again.
    at("2030-01-07T07:05:00Z");
    await kit.runJob();
    at("2030-01-07T09:00:00Z");
    await kit.runJob();
    expect(kit.mails()).toHaveLength(2);
    const stored = kit.db.select().from(reportSchedules).get();
    expect(stored?.lastSlot).toBe("2030-01-07");
    expect(stored?.lastResult).toBe("sent to Ada, Max.");
  });

  test("a box that was off for three weeks catches up once, with the latest slot's week", async () => {
    schedule();
    at("2030-01-23T10:00:00Z"); // Wednesday, two slots and a bit later
    await kit.runJob();
    await kit.runJob();
    const sent = kit.mails();
    expect(sent).toHaveLength(2);
    expect(sent[0]?.subject).toContain("2030-01-14 to 2030-01-20");
    at("2030-01-28T07:00:00Z"); // the next slot goes as usual
    await kit.runJob();
    expect(kit.mails()).toHaveLength(4);
  });

  test("a new schedule never sends a slot that was already past when it was made", async () => {
    at("2030-01-07T10:00:00Z"); // Monday, after 08:00 in Berlin
    schedule();
    await kit.runJob();
    expect(kit.mails()).toHaveLength(0);
  });

  test("an organisation without schedules gets no run at all", async () => {
    schedule();
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    expect(kit.runs().map((run) => run.orgId)).toEqual([kit.acme]);
  });

  test("the CSV is the Reports page's CSV for the same days; the PDF is a real PDF with the rows' text", async () => {
    schedule();
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    const mail = kit.mails().find((item) => item.toAddress === "max@org_acme.test");
    const names = mail?.files.map((file) => file.fileName);
    expect(names).toEqual([
      "hours-by-project-2029-12-31-to-2030-01-06.csv",
      "hours-by-project-2029-12-31-to-2030-01-06.pdf",
    ]);
    const csv = new TextDecoder().decode(mail?.files[0]?.bytes);
    const page = hoursReport(kit.ctx(kit.people.max), { groupBy: "project", from: "2029-12-31", to: "2030-01-06" });
    expect(csv).toBe(reportCsv(page));
    expect(csv).toContain("Kitchen refit");
    expect(csv).not.toContain("Not last week");

    const pdf = mail?.files[1]?.bytes ?? new Uint8Array();
    expect(new TextDecoder().decode(pdf.slice(0, 5))).toBe("%PDF-");
    const { text } = await extractText(await getDocumentProxy(pdf.slice()), { mergePages: true });
    expect(text).toContain("Weekly hours");
    expect(text).toContain("Kitchen refit");
    expect(text).toContain("Bakery");
  });

  test("never carries another organisation's rows", async () => {
    schedule();
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    for (const mail of kit.mails()) {
      for (const file of mail.files) {
        expect(new TextDecoder("latin1").decode(file.bytes)).not.toContain("Globex");
      }
    }
    const { text } = await extractText(
      await getDocumentProxy((kit.mails()[0]?.files[1]?.bytes ?? new Uint8Array()).slice()),
      {
        mergePages: true,
      },
    );
    expect(text).not.toContain("Globex secret");
  });

  test("a person of another organisation cannot be a recipient", () => {
    expect(() => schedule({ recipientIds: [kit.people.globexAdmin] })).toThrow(AppError);
  });
});

describe("each recipient gets only what their own role shows", () => {
  test("a member cannot be chosen for invoices; a manager who loses the permission is skipped and the run says so", async () => {
    kit.addInvoice(kit.acme, "2030-01-02", 12_300);
    const refused = (() => {
      try {
        schedule({ report: "invoices_by_status", recipientIds: [kit.people.max] });
      } catch (error) {
        return error as AppError;
      }
      return null;
    })();
    expect(refused?.details).toEqual([
      { path: "recipientIds", message: "Max may not see invoices by status on the Reports page." },
    ]);

    schedule({ name: "Invoices", report: "invoices_by_status", recipientIds: [kit.people.admin, kit.people.mia] });
    kit.db
      .update(memberships)
      .set({ role: "member" })
      .where(and(eq(memberships.userId, kit.people.mia), eq(memberships.orgId, kit.acme)))
      .run();
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    expect(kit.mails().map((mail) => mail.toAddress)).toEqual(["ada@org_acme.test"]);
    const csv = new TextDecoder().decode(kit.mails()[0]?.files[0]?.bytes);
    expect(csv).toContain("sent,EUR,1,12300");
    expect(kit.db.select().from(reportSchedules).get()?.lastResult).toBe(
      "sent to Ada; skipped Mia (may not see invoices by status).",
    );
  });

  test("a recipient who left the organisation is skipped, and the run's result says so", async () => {
    schedule();
    kit.db
      .delete(memberships)
      .where(and(eq(memberships.userId, kit.people.max), eq(memberships.orgId, kit.acme)))
      .run();
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    expect(kit.mails().map((mail) => mail.toAddress)).toEqual(["ada@org_acme.test"]);
    const run = kit.runs().find((item) => item.orgId === kit.acme);
    expect(run?.status).toBe("succeeded");
    expect(run?.resultText).toBe(
      "'Weekly hours' sent to Ada; skipped Former member (no longer a member of the organisation).",
    );
  });

  test("a Team Lead's hours by person hold only themself and their teams; the admin's everyone", async () => {
    schedule({ name: "People", report: "hours_by_person", recipientIds: [kit.people.admin, kit.people.leo] });
    at("2030-01-07T07:00:00Z");
    await kit.runJob();
    const csvOf = (to: string) =>
      new TextDecoder().decode(kit.mails().find((mail) => mail.toAddress === to)?.files[0]?.bytes);
    expect(csvOf("ada@org_acme.test")).toContain("Max");
    expect(csvOf("leo@org_acme.test")).toContain("Leo");
    expect(csvOf("leo@org_acme.test")).not.toContain("Max");
  });
});

test("progress names each schedule as it is built", async () => {
  schedule({ name: "First" });
  schedule({ name: "Second", formats: ["csv"] });
  at("2030-01-07T07:00:00Z");
  const said: string[] = [];
  const result = await sendDueReports(kit.deps, kit.acme, {
    now: () => kit.clock.now,
    log: () => {},
    progress: (_percent, message) => said.push(message ?? ""),
    signal: new AbortController().signal,
  });
  expect(said).toEqual(["Building 'First' (1 of 2)", "Building 'Second' (2 of 2)", "Sent 2 report(s)"]);
  expect(result?.links?.map((link) => link.label)).toEqual(["First", "Second"]);
});
