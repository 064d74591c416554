import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { documents } from "./knowledge.ts";
import { orgId } from "./org-column.ts";

/** draft → pending_approval → approved | rejected; approved → paid. A cancelled approval goes back to draft. */
export const billStatuses = ["draft", "pending_approval", "approved", "rejected", "paid"] as const;
export type BillStatus = (typeof billStatuses)[number];

/** How pages, feeds and messages name each status. */
export const billStatusLabels: Record<BillStatus, string> = {
  draft: "Draft",
  pending_approval: "Pending approval",
  approved: "Approved",
  rejected: "Rejected",
  paid: "Paid",
};

/** A supplier's invoice to the organisation (accounts payable): money in integer minor units, like invoices. */
export const bills = sqliteTable(
  "bills",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    /** Free text, as the supplier names itself on the bill. */
    supplierName: text("supplier_name").notNull().default(""),
    /** The supplier's own number for the bill; empty when unknown. */
    number: text("number").notNull().default(""),
    /** Days as `YYYY-MM-DD`; null when not known yet. */
    issueDate: text("issue_date"),
    dueDate: text("due_date"),
    currency: text("currency").notNull(),
    status: text("status", { enum: billStatuses }).notNull().default("draft"),
    notes: text("notes").notNull().default(""),
    /** Minor units, computed from the lines (server/work/invoices/totals.ts). */
    subtotal: integer("subtotal").notNull().default(0),
    tax: integer("tax").notNull().default(0),
    total: integer("total").notNull().default(0),
    /** The document it was read from; one bill per document. */
    sourceDocumentId: text("source_document_id").references(() => documents.id, { onDelete: "set null" }),
    /** 0–1, how sure the reading is (server/knowledge/invoice-reading/confidence.ts); null when typed by a person. */
    confidence: real("confidence"),
    /** What lowered the confidence, in words. */
    confidenceNotes: text("confidence_notes", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    approvalRequestId: text("approval_request_id"),
    /** The person who created it, or null with `createdByAgent` set. */
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdByAgent: text("created_by_agent"),
    paidAt: timestamp("paid_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("bills_org_status_idx").on(table.orgId, table.status, table.id),
    index("bills_org_idx").on(table.orgId, table.id),
    uniqueIndex("bills_org_document_unique").on(table.orgId, table.sourceDocumentId),
  ],
);
export type Bill = typeof bills.$inferSelect;

export const billLines = sqliteTable(
  "bill_lines",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    billId: text("bill_id")
      .notNull()
      .references(() => bills.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    /** Thousandths: 1.5 is 1500. */
    quantityMilli: integer("quantity_milli").notNull(),
    /** Minor units. */
    unitPrice: integer("unit_price").notNull(),
    /** Basis points: 2000 = 20 %. */
    taxRate: integer("tax_rate").notNull().default(0),
    amount: integer("amount").notNull(),
    tax: integer("tax").notNull(),
  },
  (table) => [index("bill_lines_bill_idx").on(table.billId, table.position)],
);
export type BillLine = typeof billLines.$inferSelect;

export const documentInboxOutcomes = ["bill", "not_a_bill", "unreadable"] as const;
export type DocumentInboxOutcome = (typeof documentInboxOutcomes)[number];

/**
 * Each document the document inbox agent looked at, once: what it found. The agent reads a
 * document only when it has no row here, so no document is read (or billed) twice.
 */
export const documentInboxReads = sqliteTable(
  "document_inbox_reads",
  {
    orgId: orgId(),
    documentId: text("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    outcome: text("outcome", { enum: documentInboxOutcomes }).notNull(),
    billId: text("bill_id"),
    /** Why it is not a bill, or why it could not be read. */
    note: text("note").notNull().default(""),
    readAt: timestamp("read_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.documentId] })],
);
export type DocumentInboxRead = typeof documentInboxReads.$inferSelect;
