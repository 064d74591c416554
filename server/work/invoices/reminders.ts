import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { agentLabel } from "../../../models/agents.ts";
import { customers, invoices } from "../../../models/billing.ts";
import { users } from "../../../models/identity.ts";
import { recordAudit } from "../../audit/service.ts";
import { type ActorContext, actorOf } from "../../auth/sessions/context.ts";
import type { DbTransaction, Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { queueCustomerInvoiceMail, storedInvoicePdf } from "./customer-mail.ts";
import { findCustomerById } from "./customers.ts";
import { publishInvoiceEvent } from "./events.ts";
import { recordInvoiceHistory } from "./history.ts";
import { findInvoiceRow } from "./invoices.ts";

/** The states of an invoice the customer still owes: sent (and maybe past due), or marked overdue. */
const unpaidStatuses = ["sent", "overdue"] as const;

export type UnpaidInvoice = {
  id: string;
  number: string;
  dueDate: string;
  customerName: string;
  customerEmail: string | null;
};

/**
 * The organisation's unpaid invoices due on or before `dueBy` (a day before today: past due),
 * the oldest due date first; one range of invoices_org_status_due_idx per status.
 */
export function listUnpaidInvoicesDueBy(db: Queryable, orgId: string, dueBy: string): UnpaidInvoice[] {
  return db
    .select({
      id: invoices.id,
      number: invoices.number,
      dueDate: invoices.dueDate,
      customerName: customers.name,
      customerEmail: customers.email,
    })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .where(and(eq(invoices.orgId, orgId), inArray(invoices.status, unpaidStatuses), lte(invoices.dueDate, dueBy)))
    .orderBy(asc(invoices.dueDate), asc(invoices.id))
    .all();
}

/**
 * E-mails the customer a reminder of an unpaid invoice, with its PDF, the way the invoice itself
 * was sent (outbox, the organisation's logo, replies to the person who created it), and records
 * it in the invoice's history, the audit log and the feed as whoever acts (an agent, as itself).
 * `alsoRecord` runs in the same transaction (the agent's memory of what it said). Answers the
 * address, or null when there is nothing to remind of any more: the invoice was paid, voided or
 * deleted meanwhile, or its customer has no e-mail address. Needs invoices.manage.
 */
export async function remindCustomerOfInvoice(
  ctx: ActorContext,
  invoiceId: string,
  daysOverdue: number,
  dataDir: string,
  now: Date,
  alsoRecord: (tx: DbTransaction) => void = () => {},
): Promise<string | null> {
  if (!ctx.permissions.has("invoices.manage"))
    throw new AppError("forbidden", "Reminding customers of invoices needs invoices.manage.");
  const before = findInvoiceRow(ctx.db, ctx.orgId, invoiceId);
  if (!before || !isUnpaid(before.status)) return null;
  const pdf = await storedInvoicePdf(ctx, invoiceId, dataDir);
  return ctx.db.transaction((tx) => {
    // Read again: the PDF took a moment, and a person may have marked it paid meanwhile.
    const invoice = findInvoiceRow(tx, ctx.orgId, invoiceId);
    if (!invoice || !isUnpaid(invoice.status)) return null;
    const customer = findCustomerById(tx, ctx.orgId, invoice.customerId);
    if (!customer?.email) return null;
    const creator = invoice.createdBy
      ? tx.select({ email: users.email }).from(users).where(eq(users.id, invoice.createdBy)).get()
      : undefined;
    const to = customer.email;
    queueCustomerInvoiceMail(
      tx,
      ctx,
      { invoice, customer: { name: customer.name, email: to }, pdf, replyTo: creator?.email ?? null, daysOverdue },
      now,
    );
    const overdueText = `${daysOverdue} days overdue`;
    recordInvoiceHistory(
      tx,
      ctx,
      invoice.id,
      { kind: "reminder", text: `Reminder sent to ${to} (${overdueText})` },
      now,
    );
    recordAudit(
      tx,
      {
        orgId: ctx.orgId,
        action: "invoice.reminded",
        ...actorOf(ctx),
        targetType: "invoice",
        targetId: invoice.id,
        details: { number: invoice.number, daysOverdue },
        meta: ctx.meta,
      },
      now,
    );
    const by = ctx.agentId ? agentLabel(ctx.agentId) : "Someone";
    publishInvoiceEvent(
      tx,
      { orgId: ctx.orgId, userId: ctx.userId },
      invoice,
      "invoice.reminded",
      `${by} reminded ${customer.name} of invoice ${invoice.number} (${overdueText})`,
      { daysOverdue, agentId: ctx.agentId ?? null },
      now,
    );
    alsoRecord(tx);
    return to;
  });
}

function isUnpaid(status: string): boolean {
  return (unpaidStatuses as readonly string[]).includes(status);
}
