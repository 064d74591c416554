import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * An uploaded file confirmed on a backup replica: encrypted, written, read back and its sha256
 * checked. `replica` names the place ("s3 <endpoint>/<bucket>/<path>", "directory <path>"), so
 * pointing backups somewhere new starts that place from nothing. `goneSince` is set once the
 * file has left the box; the copy is kept for the retention window (a restore to an earlier
 * time needs it), then pruned with its row.
 */
export const backupFiles = sqliteTable(
  "backup_files",
  {
    replica: text("replica").notNull(),
    sha256: text("sha256").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }).notNull(),
    goneSince: integer("gone_since", { mode: "timestamp_ms" }),
  },
  (table) => [primaryKey({ columns: [table.replica, table.sha256] }), index("backup_files_gone").on(table.goneSince)],
);

export type BackupFile = typeof backupFiles.$inferSelect;
