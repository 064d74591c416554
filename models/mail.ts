import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./identity.ts";

/**
 * Where a message stands: `logged` is the draft log (written while no provider was configured,
 * never sent unless an admin retries it); `queued` waits for the outbox worker, `sending` is in
 * the provider's hands right now, then `sent`, `failed` (permanently refused, or still failing
 * when the give-up time passed), `bounced` or `complained` (reported back later by the provider or a
 * bounce report), `suppressed` (never handed to the provider: the address is on the suppression
 * list, the reason in `last_answer`) or `cancelled` by an admin.
 */
export const mailStatuses = [
  "logged",
  "queued",
  "sending",
  "sent",
  "failed",
  "bounced",
  "complained",
  "suppressed",
  "cancelled",
] as const;
export type MailStatus = (typeof mailStatuses)[number];

/** Essential mail (password resets, invitations, security notices) ignores unsubscribes, never hard bounces. */
export const mailKinds = ["essential", "non_essential"] as const;
export type MailKind = (typeof mailKinds)[number];

/**
 * Every e-mail Opsbox writes, queued here first. Without a provider they stay as the draft log
 * (status `logged`), readable by admins; with one, the outbox worker sends them.
 */
export const mailMessages = sqliteTable(
  "mail_messages",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id"),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body"),
    replyTo: text("reply_to"),
    /** `password_reset`, `invitation`, … */
    template: text("template").notNull(),
    kind: text("kind", { enum: mailKinds }).notNull().default("essential"),
    status: text("status", { enum: mailStatuses }).notNull(),
    /** Sending attempts so far (a claim counts, even one a crash interrupted). */
    attempts: integer("attempts").notNull().default(0),
    /** When it entered the queue (written, or retried by an admin): the give-up time counts from here. */
    queuedAt: integer("queued_at", { mode: "timestamp_ms" }),
    /** When a queued message may be tried (again): null means now. */
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    /** The `Message-ID` header, fixed at the first attempt so that every retry carries the same one. */
    messageIdHeader: text("message_id_header"),
    /** Which provider took the last attempt (`smtp`, `resend`, `sendgrid`). */
    provider: text("provider"),
    /** The provider's id for the accepted message (SMTP queue id, Resend id, SendGrid X-Message-Id). */
    providerMessageId: text("provider_message_id"),
    /** The provider's exact answer to the last attempt (never a secret). */
    lastAnswer: text("last_answer"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  },
  (table) => [
    index("mail_messages_created_idx").on(table.createdAt),
    index("mail_messages_due_idx").on(table.status, table.nextAttemptAt),
    // The outbox job drains one organisation at a time: another's backlog must not be scanned past.
    index("mail_messages_org_due_idx").on(table.orgId, table.status, table.nextAttemptAt),
    // Bounce webhooks and reports find their message by the provider's id or the Message-ID header.
    index("mail_messages_provider_id_idx").on(table.providerMessageId),
    index("mail_messages_header_idx").on(table.messageIdHeader),
  ],
);
export type MailMessage = typeof mailMessages.$inferSelect;

/**
 * Files that go with an outbox message (the invoice PDF on an invoice e-mail). The bytes live in
 * `<data dir>/files/<sha256>`, like uploaded documents, so the database stays small; the worker
 * reads them at each attempt.
 */
export const mailAttachments = sqliteTable(
  "mail_attachments",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id")
      .notNull()
      .references(() => mailMessages.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    /** Set for an image the HTML part shows inline (`cid:…`, the organisation's logo); null for a file to open. */
    contentId: text("content_id"),
  },
  (table) => [
    index("mail_attachments_message_idx").on(table.messageId),
    index("mail_attachments_sha256_idx").on(table.sha256),
  ],
);
export type MailAttachment = typeof mailAttachments.$inferSelect;

/**
 * An organisation's logo, shown at the top of its e-mails (a PNG sent inline with each message).
 * The bytes live in `<data dir>/files/<sha256>`.
 */
export const organizationLogos = sqliteTable("organization_logos", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  sha256: text("sha256").notNull(),
  sizeBytes: integer("size_bytes").notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});
export type OrganizationLogo = typeof organizationLogos.$inferSelect;
