import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every e-mail Opsbox writes. Until a provider is configured they stay here as the draft log
 * (status `logged`), readable by admins; the mail capability sends them later.
 */
export const mailMessages = sqliteTable(
  "mail_messages",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    /** `password_reset`, `invitation`, … */
    template: text("template").notNull(),
    status: text("status", { enum: ["logged", "queued", "sent", "failed"] }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (table) => [index("mail_messages_created_idx").on(table.createdAt)],
);
export type MailMessage = typeof mailMessages.$inferSelect;
