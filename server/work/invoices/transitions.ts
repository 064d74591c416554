import { and, eq, inArray, lt } from "drizzle-orm";
import { type Invoice, type InvoiceStatus, invoiceLines, invoices } from "../../../models/billing.ts";
import { organizations, users } from "../../../models/identity.ts";
import { timeEntries } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Db, DbTransaction, Queryable } from "../../db.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { todayUtc } from "../../tools/days.ts";
import { startApproval } from "../approvals/start-approval.ts";
import { queueCustomerInvoiceMail, storedInvoicePdf } from "./customer-mail.ts";
import { findCustomerById } from "./customers.ts";
import { publishStatusChange, statusLabels } from "./events.ts";
import { recordInvoiceHistory } from "./history.ts";
import { findInvoiceById, findInvoiceRow, type InvoiceView, invoiceOrNotFound } from "./invoices.ts";

/**
 * The status machine. draft → pending_approval (submit) → approved (the approval ends well;
 * a rejected or cancelled one goes back to draft) → sent → paid; sent → overdue (the daily job)
 * → paid; every state but paid and void → void. Nothing else.
 */
export const legalTransitions: Record<InvoiceStatus, readonly InvoiceStatus[]> = {
  draft: ["pending_approval", "void"],
  pending_approval: ["approved", "draft", "void"],
  approved: ["sent", "void"],
  sent: ["paid", "overdue", "void"],
  overdue: ["paid", "void"],
  paid: [],
  void: [],
};

const verbs: Record<InvoiceStatus, string> = {
  draft: "returned to draft",
  pending_approval: "submitted for approval",
  approved: "approved",
  sent: "sent",
  paid: "marked paid",
  overdue: "marked overdue",
  void: "voided",
};

function assertTransition(invoice: Invoice, to: InvoiceStatus): void {
  if (legalTransitions[invoice.status].includes(to)) return;
  throw new AppError(
    "conflict",
    `Invoice ${invoice.number} is ${statusLabels[invoice.status].toLowerCase()} (status "${invoice.status}") and cannot be ${verbs[to]}.`,
    [{ path: "status", message: invoice.status }],
  );
}

type Actor = { orgId: string; userId: string | null };

/** Moves the invoice to `to` (with any extra columns), guarded by the current status, and publishes the change. */
function moveInvoice(
  tx: DbTransaction,
  actor: Actor,
  invoice: Invoice,
  to: InvoiceStatus,
  now: Date,
  extra: Partial<Invoice> = {},
): void {
  assertTransition(invoice, to);
  tx.update(invoices)
    .set({ ...extra, status: to, updatedAt: now })
    .where(and(eq(invoices.id, invoice.id), eq(invoices.status, invoice.status)))
    .run();
  publishStatusChange(tx, actor, invoice, invoice.status, to, now);
  recordInvoiceHistory(
    tx,
    actor,
    invoice.id,
    { kind: "status", text: `${statusLabels[invoice.status]} → ${statusLabels[to]}` },
    now,
  );
}

function transition(
  ctx: ServiceContext,
  id: string,
  change: (tx: DbTransaction, invoice: Invoice) => void,
): InvoiceView {
  ctx.db.transaction((tx) => {
    const invoice = findInvoiceRow(tx, ctx.orgId, id);
    if (!invoice) throw notFound("invoice");
    change(tx, invoice);
  });
  const view = findInvoiceById(ctx.db, ctx.orgId, id);
  if (!view) throw new AppError("internal", "The invoice could not be read back.");
  return view;
}

/** draft → pending_approval: starts an approval request (subject "invoice") in the same transaction. */
export function submitInvoice(ctx: ServiceContext, id: string, now = new Date()): InvoiceView {
  return transition(ctx, id, (tx, invoice) => {
    assertTransition(invoice, "pending_approval");
    const hasLine = tx.select({ id: invoiceLines.id }).from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).get();
    if (!hasLine) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "lines", message: "Add at least one line before submitting the invoice." },
      ]);
    }
    const customer = findCustomerById(tx, ctx.orgId, invoice.customerId);
    const request = startApproval(tx, ctx, {
      subjectType: "invoice",
      subjectId: invoice.id,
      title: `Invoice ${invoice.number}${customer ? ` for ${customer.name}` : ""}`,
      amount: invoice.total,
      currency: invoice.currency,
      details: `Issued ${invoice.issueDate}, due ${invoice.dueDate}.`,
    });
    moveInvoice(tx, ctx, invoice, "pending_approval", now, { approvalRequestId: request.id });
  });
}

/**
 * approved → sent: queues the e-mail to the customer with the invoice PDF attached (stored in
 * the data directory's files/, referenced by the outbox). 422 when the customer has no e-mail
 * address. Replies go to the person who sent it.
 */
export async function sendInvoice(
  ctx: ServiceContext,
  id: string,
  dataDir: string,
  now = new Date(),
): Promise<InvoiceView> {
  // Checked before the PDF is made, so a refused send leaves no file behind; checked again below.
  const before = invoiceOrNotFound(ctx, id).invoice;
  assertTransition(before, "sent");
  customerAddressOf(ctx.db, ctx.orgId, before);
  const pdf = await storedInvoicePdf(ctx, id, dataDir);
  return transition(ctx, id, (tx, invoice) => {
    assertTransition(invoice, "sent");
    const customer = customerAddressOf(tx, ctx.orgId, invoice);
    const sender = tx.select({ email: users.email }).from(users).where(eq(users.id, ctx.userId)).get();
    queueCustomerInvoiceMail(tx, ctx, { invoice, customer, pdf, replyTo: sender?.email ?? null }, now);
    moveInvoice(tx, ctx, invoice, "sent", now, { sentAt: now });
  });
}

/** The invoice's customer with their address; 422 on customerId when they have none. */
function customerAddressOf(db: Queryable, orgId: string, invoice: Invoice): { name: string; email: string } {
  const customer = findCustomerById(db, orgId, invoice.customerId);
  if (!customer?.email) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "customerId", message: "The customer has no e-mail address. Add one to the customer first." },
    ]);
  }
  return { name: customer.name, email: customer.email };
}

/** sent or overdue → paid. */
export function markInvoicePaid(ctx: ServiceContext, id: string, now = new Date()): InvoiceView {
  return transition(ctx, id, (tx, invoice) => moveInvoice(tx, ctx, invoice, "paid", now, { paidAt: now }));
}

/**
 * Any state but paid and void → void. Time entries billed on it become billable again, since
 * the customer is not charged for them on this invoice.
 */
export function voidInvoice(ctx: ServiceContext, id: string, now = new Date()): InvoiceView {
  return transition(ctx, id, (tx, invoice) => {
    moveInvoice(tx, ctx, invoice, "void", now, { voidedAt: now });
    const lineIds = tx
      .select({ id: invoiceLines.id })
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, id))
      .all()
      .map((line) => line.id);
    if (lineIds.length > 0) {
      tx.update(timeEntries)
        .set({ invoiceLineId: null, updatedAt: now })
        .where(and(eq(timeEntries.orgId, ctx.orgId), inArray(timeEntries.invoiceLineId, lineIds)))
        .run();
    }
  });
}

/**
 * The scheduled job: every sent invoice whose due date is before today (UTC) becomes overdue,
 * each with its `invoice.status_changed` event (actor: the box). Returns how many changed.
 */
export function markOverdueInvoices(db: Db, now: Date): number {
  const today = todayUtc(now);
  let changed = 0;
  for (const { id: orgId } of db.select({ id: organizations.id }).from(organizations).all()) {
    db.transaction((tx) => {
      const due = tx
        .select()
        .from(invoices)
        .where(and(eq(invoices.orgId, orgId), eq(invoices.status, "sent"), lt(invoices.dueDate, today)))
        .all();
      for (const invoice of due) {
        moveInvoice(tx, { orgId, userId: null }, invoice, "overdue", now);
        changed += 1;
      }
    });
  }
  return changed;
}
