import { z } from "zod";
import { addDays, daysBetween, todayUtc } from "../tools/days.ts";
import { listUnpaidInvoicesDueBy, remindCustomerOfInvoice, type UnpaidInvoice } from "../work/invoices/reminders.ts";
import type { AgentDefinition, AgentResult, AgentWork } from "./definition.ts";
import { noticeFor, noticesOf, recordNotices } from "./notices.ts";

const AGENT = "invoice-follow-up";
/** Its notices are about the invoice's customer, whoever their address is today. */
const RECIPIENT = "customer";

/** "7, 14, 30" → [7, 14, 30]; the schema has checked the text. */
function reminderLevels(text: string): number[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map(Number);
}

export const invoiceFollowUpSettings = z.object({
  days: z
    .string()
    .trim()
    .regex(/^\d{1,4}(\s*,\s*\d{1,4}){0,9}$/, "Write up to ten numbers of days, like 7, 14, 30.")
    .refine(
      (text) =>
        reminderLevels(text).every((days, index, all) => days > 0 && (index === 0 || days > (all[index - 1] ?? 0))),
      "Each number must be above zero and larger than the one before it, like 7, 14, 30.",
    )
    .default("7, 14, 30"),
});
type Settings = z.output<typeof invoiceFollowUpSettings>;

/** One reminder to send: the highest level the invoice has reached, and how late it is today. */
type Reminder = { invoice: UnpaidInvoice; level: number; daysOverdue: number };
type Plan = { preview: string[]; reminders: Reminder[]; withoutAddress: UnpaidInvoice[] };

function plan(work: AgentWork<Settings>): Plan {
  const { ctx, settings, now } = work;
  const levels = reminderLevels(settings.days);
  const today = todayUtc(now);
  const unpaid = listUnpaidInvoicesDueBy(ctx.db, ctx.orgId, addDays(today, -(levels[0] ?? 1)));
  const told = noticesOf(ctx.db, ctx.orgId, AGENT);
  const reminders: Reminder[] = [];
  const withoutAddress: UnpaidInvoice[] = [];
  for (const invoice of unpaid) {
    const daysOverdue = daysBetween(invoice.dueDate, today);
    // Only the highest level reached: a box that was off catches up with one reminder, not three.
    const level = levels.filter((days) => days <= daysOverdue).at(-1);
    if (level === undefined) continue;
    const last = noticeFor(told, invoice.id, RECIPIENT);
    if (last && last.about === invoice.dueDate && Number(last.level) >= level) continue;
    if (invoice.customerEmail) reminders.push({ invoice, level, daysOverdue });
    else withoutAddress.push(invoice);
  }
  const preview = [
    ...reminders.map(
      ({ invoice, daysOverdue }) =>
        `would remind ${invoice.customerName} about ${invoice.number} (${daysOverdue} days overdue)`,
    ),
    ...withoutAddress.map((invoice) => `would skip ${invoice.number}: ${invoice.customerName} has no e-mail address`),
  ];
  return { preview, reminders, withoutAddress };
}

async function apply(work: AgentWork<Settings>, planned: Plan): Promise<AgentResult> {
  const { ctx, now } = work;
  for (const invoice of planned.withoutAddress) {
    work.log(`${invoice.number}: ${invoice.customerName} has no e-mail address, so no reminder was sent.`);
  }
  const sent: Reminder[] = [];
  for (const [index, reminder] of planned.reminders.entries()) {
    // Cancelled, timed out or the box stopping: the reminders sent so far are recorded; the rest wait for the next run.
    if (work.signal?.aborted) {
      work.log(
        `Stopped before the remaining ${planned.reminders.length - index} reminder(s); the next run sends them.`,
      );
      break;
    }
    const { invoice, level, daysOverdue } = reminder;
    const to = await remindCustomerOfInvoice(ctx, invoice.id, daysOverdue, work.dataDir, now, (tx) =>
      recordNotices(tx, [
        {
          orgId: ctx.orgId,
          agentId: AGENT,
          subjectId: invoice.id,
          recipient: RECIPIENT,
          level: String(level),
          about: invoice.dueDate,
          sentAt: now,
        },
      ]),
    );
    if (to) {
      sent.push(reminder);
      work.log(`Reminded ${invoice.customerName} of ${invoice.number} (${daysOverdue} days overdue).`);
    } else {
      work.log(`${invoice.number} needs no reminder any more (paid, voided or without an address now).`);
    }
  }
  const missing =
    planned.withoutAddress.length > 0 ? `; ${planned.withoutAddress.length} customer(s) have no e-mail address` : "";
  if (sent.length === 0 && !missing) return { summary: "No invoice is due a reminder." };
  return {
    summary: `Sent ${sent.length} reminder(s) of overdue invoices${missing}.`,
    links: [...sent.map((item) => item.invoice), ...planned.withoutAddress]
      .slice(0, 10)
      .map((invoice) => ({ label: invoice.number, href: `/invoices/${invoice.id}` })),
  };
}

/** Hourly: reminds customers of unpaid invoices 7, 14 and 30 days (unless changed) after their due date. */
export const invoiceFollowUpAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Invoice follow-up",
  description:
    "Hourly: e-mails the customer of an unpaid invoice a reminder with the invoice PDF at each number of days past its due date (7, 14 and 30 unless changed), once per level, never after it is paid or void; a box that was off sends only the latest level due. Each reminder is in the invoice's history.",
  schedule: { cron: "0 * * * *", words: "every hour, on the hour" },
  permissions: ["invoices.manage"],
  settings: invoiceFollowUpSettings,
  fields: [
    {
      name: "days",
      label: "Days past the due date to send a reminder",
      kind: "text",
      hint: "Numbers of days, smallest first, like 7, 14, 30.",
    },
  ],
  timeoutMs: 10 * 60_000,
  plan,
  apply,
};
