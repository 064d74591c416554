import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Settings of the whole box (not of one organisation): setup state, chosen models, policies. */
export const instanceSettings = sqliteTable("instance_settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type InstanceSetting = typeof instanceSettings.$inferSelect;
export type NewInstanceSetting = typeof instanceSettings.$inferInsert;

/** One row that /readyz rewrites to prove the database accepts and syncs a commit. */
export const readinessProbe = sqliteTable("readiness_probe", {
  id: integer("id").primaryKey(),
  checkedAt: integer("checked_at", { mode: "timestamp_ms" }).notNull(),
});
