import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { organizations, users } from "./identity.ts";
import { orgId } from "./org-column.ts";

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    email: text("email"),
    phone: text("phone").notNull().default(""),
    address: text("address").notNull().default(""),
    taxId: text("tax_id").notNull().default(""),
    /** ISO 4217, the default for this customer's invoices. */
    currency: text("currency").notNull(),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("customers_org_idx").on(table.orgId, table.id)],
);
export type Customer = typeof customers.$inferSelect;

export const invoiceStatuses = ["draft", "pending_approval", "approved", "sent", "paid", "overdue", "void"] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

export const invoices = sqliteTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    /** Prefix + sequence, e.g. `INV-2026-0042`; unique in the organisation. */
    number: text("number").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    currency: text("currency").notNull(),
    /** Days as `YYYY-MM-DD`. */
    issueDate: text("issue_date").notNull(),
    dueDate: text("due_date").notNull(),
    status: text("status", { enum: invoiceStatuses }).notNull().default("draft"),
    notes: text("notes").notNull().default(""),
    /** Minor units, computed from the lines (see server/work/invoices/totals.ts). */
    subtotal: integer("subtotal").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    total: integer("total").notNull().default(0),
    approvalRequestId: text("approval_request_id"),
    createdBy: text("created_by").references(() => users.id),
    sentAt: timestamp("sent_at"),
    paidAt: timestamp("paid_at"),
    voidedAt: timestamp("voided_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("invoices_org_number_unique").on(table.orgId, table.number),
    index("invoices_org_status_idx").on(table.orgId, table.status, table.id),
    index("invoices_org_customer_idx").on(table.orgId, table.customerId, table.id),
    // Overdue invoices by due date (the Pulse): one ordered range per status.
    index("invoices_org_status_due_idx").on(table.orgId, table.status, table.dueDate, table.id),
  ],
);
export type Invoice = typeof invoices.$inferSelect;

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    /** Thousandths: 1.5 hours is 1500. */
    quantityMilli: integer("quantity_milli").notNull(),
    /** Minor units. */
    unitPrice: integer("unit_price").notNull(),
    /** Basis points: 2000 = 20 %. */
    taxRate: integer("tax_rate").notNull().default(0),
    /** Minor units, rounded once per line. */
    amount: integer("amount").notNull(),
    tax: integer("tax").notNull(),
  },
  (table) => [index("invoice_lines_invoice_idx").on(table.invoiceId, table.position)],
);
export type InvoiceLine = typeof invoiceLines.$inferSelect;

/** Per-organisation invoice numbering: `prefix` then `nextNumber`, padded to four digits. */
export const invoiceSettings = sqliteTable("invoice_settings", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  prefix: text("prefix").notNull().default("INV-"),
  nextNumber: integer("next_number").notNull().default(1),
  /** Days from issue to due for a new invoice. */
  paymentTermDays: integer("payment_term_days").notNull().default(30),
  defaultCurrency: text("default_currency").notNull().default("EUR"),
  defaultTaxRate: integer("default_tax_rate").notNull().default(0),
});
export type InvoiceSettings = typeof invoiceSettings.$inferSelect;

/**
 * What happened to an invoice, newest last: its status changes and the follow-up agent's
 * reminders to the customer ("Reminder sent to billing@… (14 days overdue)"), with who did it:
 * a person, an agent, or the box itself (both actors null).
 */
export const invoiceHistory = sqliteTable(
  "invoice_history",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    actorUserId: text("actor_user_id").references(() => users.id),
    /** The agent that acted (`invoice-follow-up`), when an agent did. */
    actorAgentId: text("actor_agent_id"),
    /** `status` or `reminder`. */
    kind: text("kind").notNull(),
    /** One line for the invoice page: "Sent → Overdue", "Reminder sent to billing@globex.test (14 days overdue)". */
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("invoice_history_invoice_idx").on(table.invoiceId, table.id)],
);
export type InvoiceHistoryEntry = typeof invoiceHistory.$inferSelect;
