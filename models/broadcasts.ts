import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

/** Who a broadcast goes to: everyone of the organisation, one team, or everyone holding one role. */
export const broadcastAudiences = ["organization", "team", "role"] as const;
export type BroadcastAudience = (typeof broadcastAudiences)[number];

/** `sending` while the background step writes its recipients' notifications and e-mails; `sent` once every one is written. */
export const broadcastStatuses = ["sending", "sent"] as const;
export type BroadcastStatus = (typeof broadcastStatuses)[number];

/** A message a manager wrote to many people of the organisation at once. */
export const broadcasts = sqliteTable(
  "broadcasts",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    senderId: text("sender_id").references(() => users.id),
    subject: text("subject").notNull(),
    /** Markdown, as typed; rendered safely wherever it is shown. */
    body: text("body").notNull(),
    audienceType: text("audience_type", { enum: broadcastAudiences }).notNull(),
    /** The team's id or the role (a built-in name or a custom role id); null for the whole organisation. */
    audienceId: text("audience_id"),
    /** The audience as it was called when sent ("Kitchen", "Manager"), kept when the team or role goes. */
    audienceLabel: text("audience_label").notNull(),
    status: text("status", { enum: broadcastStatuses }).notNull(),
    createdAt: createdAt(),
    /** When the last recipient was written. */
    deliveredAt: timestamp("delivered_at"),
  },
  (table) => [index("broadcasts_org_idx").on(table.orgId, table.id), index("broadcasts_sending_idx").on(table.status)],
);
export type Broadcast = typeof broadcasts.$inferSelect;

/**
 * One person a broadcast reached, written with their console notification and e-mail in the same
 * transaction: the console notification's read time and the e-mail's status are read from those rows.
 */
export const broadcastRecipients = sqliteTable(
  "broadcast_recipients",
  {
    broadcastId: text("broadcast_id")
      .notNull()
      .references(() => broadcasts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: orgId(),
    /** Whether the person's choices let the broadcast into their console and their mailbox. */
    inConsole: integer("in_console", { mode: "boolean" }).notNull(),
    byEmail: integer("by_email", { mode: "boolean" }).notNull(),
    // No foreign keys on these two: pruning old notifications or mail must not scan this table.
    /** The console notification (gone once pruned, after 90 days). */
    notificationId: text("notification_id"),
    /** The outbox message. */
    mailId: text("mail_id"),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.broadcastId, table.userId] })],
);
export type BroadcastRecipient = typeof broadcastRecipients.$inferSelect;
