import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.ts";
import { organizations } from "./identity.ts";

/** Why an address gets no more mail: it unsubscribed, its server refused it for good, or its owner reported spam. */
export const suppressionReasons = ["unsubscribed", "hard_bounce", "complaint"] as const;
export type SuppressionReason = (typeof suppressionReasons)[number];

/** Where the entry came from: the footer link's page, a mail client's one-click POST, a provider's webhook, a bounce report in the inbox. */
export const suppressionSources = ["unsubscribe_page", "one_click", "resend", "sendgrid", "delivery_report"] as const;
export type SuppressionSource = (typeof suppressionSources)[number];

/**
 * The suppression list: addresses the outbox must not write to. An entry belongs to the
 * organisation whose mail caused it, or to the whole box (`org_id` null) when that mail was the
 * box's own (password resets, health alerts). Unsubscribes stop non-essential mail only; hard
 * bounces and complaints stop every message (server/mail/suppression.ts).
 */
export const mailSuppressions = sqliteTable(
  "mail_suppressions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** Trimmed and lower-cased. */
    address: text("address").notNull(),
    reason: text("reason", { enum: suppressionReasons }).notNull(),
    source: text("source", { enum: suppressionSources }).notNull(),
    /** The provider's or the bounce report's own words, when there are any. */
    detail: text("detail"),
    /** The outbox message that led to it, when known. */
    messageId: text("message_id"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("mail_suppressions_org_entry_idx")
      .on(table.orgId, table.address, table.reason)
      .where(sql`${table.orgId} is not null`),
    uniqueIndex("mail_suppressions_box_entry_idx").on(table.address, table.reason).where(sql`${table.orgId} is null`),
    index("mail_suppressions_address_idx").on(table.address),
  ],
);
export type MailSuppression = typeof mailSuppressions.$inferSelect;
