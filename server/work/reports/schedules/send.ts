import { and, asc, eq } from "drizzle-orm";
import { organizations } from "../../../../models/identity.ts";
import { type ReportSchedule, reportSchedules } from "../../../../models/report-schedules.ts";
import { reportMail } from "../../../../views/mail/report-mail.tsx";
import type { Queryable } from "../../../db.ts";
import { type StoredAttachment, storeAttachment } from "../../../mail/attachments.ts";
import { mailBrandingFor } from "../../../mail/logo.ts";
import { queueMail } from "../../../mail/outbox.ts";
import { organizationTimeZone } from "../../../organization-time-zone.ts";
import { describeCadence, latestSlot } from "../../../tools/local-slots.ts";
import { wallClock } from "../../../tools/zoned-time.ts";
import { reportCsv } from "../csv.ts";
import { periodRange, type ReportAsk, reportKinds, reportsPagePath } from "./catalog.ts";
import { cadenceOf } from "./json.ts";
import { type RecipientDeps, resolveRecipients } from "./recipients.ts";

export type ReportSendDeps = RecipientDeps & { dataDir: string; baseUrl: string };

/** What a run hands the sending: its clock, its log and progress, and the signal that stops it. */
export type SendRun = {
  now: () => Date;
  log: (line: string) => void;
  progress: (percent: number, message?: string) => void;
  signal: AbortSignal;
};

/** Whether the organisation has any report schedule (the job's scheduled runs skip those without). */
export function hasReportSchedules(db: Queryable, orgId: string): boolean {
  return (
    db
      .select({ id: reportSchedules.id })
      .from(reportSchedules)
      .where(eq(reportSchedules.orgId, orgId))
      .limit(1)
      .get() !== undefined
  );
}

/** A schedule to send now, and the slot it serves (null for a "Send now" between slots). */
type Due = { schedule: ReportSchedule; slot: string | null };

/**
 * The organisation's schedules to send now: switched on with a slot newer than the last one sent
 * (one send however many slots a stopped box missed), or asked to send now.
 */
function dueReportSchedules(deps: ReportSendDeps, orgId: string, now: Date): Due[] {
  const timeZone = organizationTimeZone(deps.db, orgId);
  const due: Due[] = [];
  const rows = deps.db
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.orgId, orgId))
    .orderBy(asc(reportSchedules.name), asc(reportSchedules.id))
    .all();
  for (const schedule of rows) {
    const slot = latestSlot(now, timeZone, cadenceOf(schedule));
    const slotDue = schedule.enabled && (schedule.lastSlot === null || slot > schedule.lastSlot);
    if (slotDue) due.push({ schedule, slot });
    else if (schedule.sendRequestedAt) due.push({ schedule, slot: null });
  }
  return due;
}

/**
 * Sends every due schedule of the organisation, reporting progress per schedule; the e-mails of
 * one schedule and its new last slot are written in one transaction, so a crash or a retry never
 * sends a slot twice. Undefined when nothing was due.
 */
export async function sendDueReports(deps: ReportSendDeps, orgId: string, run: SendRun) {
  const due = dueReportSchedules(deps, orgId, run.now());
  if (due.length === 0) return undefined;
  const lines: string[] = [];
  for (const [index, item] of due.entries()) {
    run.signal.throwIfAborted();
    run.progress((index / due.length) * 100, `Building '${item.schedule.name}' (${index + 1} of ${due.length})`);
    const result = await sendSchedule(deps, orgId, item, run);
    run.log(`${item.schedule.name}: ${result}`);
    lines.push(`'${item.schedule.name}' ${result}`);
  }
  run.progress(100, `Sent ${due.length} report(s)`);
  return {
    summary: lines.join(" "),
    links: due.map(({ schedule }) => ({ label: schedule.name, href: `/reports/schedules/${schedule.id}/edit` })),
  };
}

async function sendSchedule(deps: ReportSendDeps, orgId: string, item: Due, run: SendRun): Promise<string> {
  const { schedule } = item;
  const now = run.now();
  const timeZone = organizationTimeZone(deps.db, orgId);
  const kind = reportKinds[schedule.report];
  const day = item.slot ?? wallClock(now, timeZone).day;
  const ask: ReportAsk = {
    range: kind.usesPeriod ? periodRange(schedule.period, day) : null,
    weeks: schedule.weeks,
  };
  const covers = ask.range ? `${ask.range.from} to ${ask.range.to} (UTC days)` : `the last ${ask.weeks} weeks`;
  const organizationName =
    deps.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()?.name ??
    "Opsbox";
  const { recipients, skipped } = resolveRecipients(deps, orgId, schedule.recipientIds, kind);
  // Recipients who see the same rows share the same files.
  const filesByRows = new Map<string, StoredAttachment[]>();
  const letters: { to: string; attachments: StoredAttachment[] }[] = [];
  for (const recipient of recipients) {
    run.signal.throwIfAborted();
    const table = kind.table(recipient.ctx, ask);
    const csv = reportCsv(table);
    let files = filesByRows.get(csv);
    if (!files) {
      files = [];
      if (schedule.formats.includes("csv"))
        files.push(
          storeAttachment(deps.dataDir, {
            fileName: `${table.filename}.csv`,
            contentType: "text/csv",
            bytes: new TextEncoder().encode(csv),
          }),
        );
      if (schedule.formats.includes("pdf")) {
        // pdf-lib and the fonts on first use, as the invoice PDF does: they cost the start 30 MB.
        const { renderReportPdf } = await import("./pdf.ts");
        const bytes = await renderReportPdf({ title: schedule.name, organizationName, covers, table });
        files.push(
          storeAttachment(deps.dataDir, { fileName: `${table.filename}.pdf`, contentType: "application/pdf", bytes }),
        );
      }
      filesByRows.set(csv, files);
    }
    letters.push({ to: recipient.email, attachments: files });
  }
  const sentTo = recipients.map((recipient) => recipient.name);
  const result = [
    sentTo.length > 0 ? `sent to ${sentTo.join(", ")}` : "sent to nobody",
    ...skipped.map((person) => `skipped ${person.name} (${person.reason})`),
  ].join("; ");
  const written = deps.db.transaction((tx) => {
    const current = tx
      .select()
      .from(reportSchedules)
      .where(and(eq(reportSchedules.id, schedule.id), eq(reportSchedules.orgId, orgId)))
      .get();
    // Deleted meanwhile, or this slot sent already by an earlier attempt.
    if (!current || (item.slot !== null && current.lastSlot !== null && current.lastSlot >= item.slot)) return false;
    if (item.slot === null && !current.sendRequestedAt) return false;
    const branding = mailBrandingFor(tx, orgId);
    for (const letter of letters) {
      const mail = reportMail({
        organizationName,
        scheduleName: schedule.name,
        reportLabel: kind.label,
        covers,
        cadence: `${describeCadence(cadenceOf(schedule))}, ${timeZone}`,
        files: letter.attachments.map((file) => file.fileName),
        url: new URL(reportsPagePath(ask), deps.baseUrl).toString(),
        logoCid: branding.logoCid,
      });
      queueMail(
        tx,
        deps.log,
        {
          orgId,
          to: letter.to,
          ...mail,
          template: "scheduled_report",
          attachments: [...letter.attachments, ...branding.attachments],
        },
        now,
      );
    }
    tx.update(reportSchedules)
      .set({
        lastSlot: item.slot ?? current.lastSlot,
        sendRequestedAt: null,
        lastSentAt: now,
        lastResult: `${result}.`,
      })
      .where(eq(reportSchedules.id, schedule.id))
      .run();
    return true;
  });
  return written ? `${result}.` : "was sent already.";
}
