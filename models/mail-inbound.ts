import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { organizations } from "./identity.ts";
import { documents } from "./knowledge.ts";
import { orgId } from "./org-column.ts";

/** How the connection to the IMAP server is protected: TLS from the start, STARTTLS, or none (loopback only). */
export const inboxSecurities = ["tls", "starttls", "none"] as const;
export type InboxSecurity = (typeof inboxSecurities)[number];

/** How Opsbox signs in to the mailbox: a password, or XOAUTH2 with the organisation's connected Google or Microsoft account. */
export const inboxAuthMethods = ["password", "oauth"] as const;
export type InboxAuthMethod = (typeof inboxAuthMethods)[number];

/** off → connecting → listening (IDLE), or failed (with the reason in `last_error`). */
export const inboxStates = ["off", "connecting", "listening", "failed"] as const;
export type InboxState = (typeof inboxStates)[number];

/**
 * An organisation's inbound mailbox (one per organisation): where Opsbox reads mail from over
 * IMAP. The password is sealed with the keyring (server/tools/secrets.ts). The worker writes the
 * state and the last error, which Settings and /readyz show.
 */
export const mailInboxes = sqliteTable("mail_inboxes", {
  orgId: text("org_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  /** The mailbox's own address; reply addresses are made from it (`local+token@domain`). */
  address: text("address").notNull(),
  host: text("host").notNull(),
  port: integer("port").notNull(),
  security: text("security", { enum: inboxSecurities }).notNull(),
  authMethod: text("auth_method", { enum: inboxAuthMethods }).notNull().default("password"),
  username: text("username").notNull(),
  passwordEncrypted: text("password_encrypted"),
  folder: text("folder").notNull().default("INBOX"),
  /** Messages are only marked seen unless this says to delete them once taken in. */
  deleteAfterImport: integer("delete_after_import", { mode: "boolean" }).notNull().default(false),
  state: text("state", { enum: inboxStates }).notNull().default("connecting"),
  lastError: text("last_error"),
  lastErrorAt: timestamp("last_error_at"),
  /** When the worker last read the mailbox through. */
  lastSyncAt: timestamp("last_sync_at"),
  updatedAt: updatedAt(),
});
export type MailInbox = typeof mailInboxes.$inferSelect;

/** A document of the knowledge base, a task comment, or nothing (larger than the upload limit). */
export const inboundOutcomes = ["document", "comment", "too_large", "delivery_report"] as const;
export type InboundOutcome = (typeof inboundOutcomes)[number];

/**
 * Every message taken in from an organisation's mailbox, by its Message-ID (a hash of the bytes
 * when it has none): the same message is never taken in twice, restarts included. A message is
 * either a document of the knowledge base (the document inbox: who sent it, its subject and when
 * it came, for the agent that reads bills) or a reply that became a task comment.
 */
export const mailInboundMessages = sqliteTable(
  "mail_inbound_messages",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    messageId: text("message_id").notNull(),
    fromAddress: text("from_address").notNull(),
    fromName: text("from_name"),
    subject: text("subject").notNull(),
    receivedAt: timestamp("received_at").notNull(),
    outcome: text("outcome", { enum: inboundOutcomes }).notNull(),
    documentId: text("document_id").references(() => documents.id, { onDelete: "set null" }),
    /** The task or approval comment a reply became. */
    commentId: text("comment_id"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("mail_inbound_messages_org_message_unique").on(table.orgId, table.messageId),
    index("mail_inbound_messages_org_document_idx").on(table.orgId, table.documentId),
  ],
);
export type MailInboundMessage = typeof mailInboundMessages.$inferSelect;
