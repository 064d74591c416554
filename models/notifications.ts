import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

/** What a person can be told about; each is switched on or off per channel. */
export const notificationKinds = [
  "task_assigned",
  "task_comment",
  "approval_waiting",
  "approval_decided",
  "approval_comment",
  "invoice_status",
  "timesheet_decided",
  "broadcast",
  "agents",
  "daily_digest",
  "timesheet_draft",
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notificationChannels = ["console", "email"] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** Per kind, per channel: on or off. */
export type NotificationChoices = Record<NotificationKind, Record<NotificationChannel, boolean>>;

/**
 * What a domain event told one person. `inConsole` rows show in the bell and the list; rows for
 * e-mail wait (`emailStatus` `pending`) until the person's next batch is written to the outbox.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: notificationKinds }).notNull(),
    /** The domain event it comes from: one notification per person and event. */
    eventSeq: integer("event_seq").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    /** One line, written when it happened: "Mia assigned “Fix the boiler” to you". */
    title: text("title").notNull(),
    /** The console path of the record. */
    link: text("link").notNull(),
    actorId: text("actor_id"),
    inConsole: integer("in_console", { mode: "boolean" }).notNull(),
    emailStatus: text("email_status", { enum: ["none", "pending", "queued", "skipped"] }).notNull(),
    /** The outbox message that carried it. */
    mailId: text("mail_id"),
    readAt: timestamp("read_at"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("notifications_event_user_unique").on(table.eventSeq, table.userId),
    index("notifications_person_idx").on(table.orgId, table.userId, table.id),
    index("notifications_email_idx").on(table.emailStatus, table.userId),
  ],
);
export type Notification = typeof notifications.$inferSelect;

/** A person's own choices in one organisation; without a row the organisation's defaults apply. */
export const notificationPreferences = sqliteTable(
  "notification_preferences",
  {
    orgId: orgId(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    choices: text("choices", { mode: "json" }).$type<Partial<NotificationChoices>>().notNull(),
    updatedAt: timestamp("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orgId, table.userId] })],
);

/**
 * How far the notifier has read the event log (one row, id `events`): it advances in the same
 * transaction that writes the notifications, so a crash neither loses nor repeats one.
 */
export const notificationProgress = sqliteTable("notification_progress", {
  id: text("id").primaryKey(),
  lastSeq: integer("last_seq").notNull(),
});
