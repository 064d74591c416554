import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../../models/index.ts";

/** A table of the schema as the privacy code walks it: its SQL name and column names by type. */
export type WalkedTable = {
  name: string;
  table: SQLiteTable;
  /** Columns stored as text (ids, names, free text, JSON). */
  textColumns: string[];
  /** Columns stored as blobs: secret hashes, never exported. */
  blobColumns: string[];
  hasOrgId: boolean;
};

/** Every table of models/, read from the drizzle definitions (never from input). */
export const walkedTables: readonly WalkedTable[] = (Object.values(schema) as unknown[])
  .filter((value): value is SQLiteTable => value instanceof SQLiteTable)
  .map((table): WalkedTable => {
    const config = getTableConfig(table);
    const typed = (type: string) =>
      config.columns.filter((column) => column.getSQLType() === type).map((column) => column.name);
    return {
      name: config.name,
      table,
      textColumns: typed("text"),
      blobColumns: typed("blob"),
      hasOrgId: config.columns.some((column) => column.name === "org_id"),
    };
  });

/** Running totals that SQLite triggers keep from other tables (migration 0014): never written or exported directly. */
export const totalsTables: readonly string[] = [
  "time_day_totals",
  "time_month_totals",
  "invoice_day_totals",
  "invoice_month_totals",
  "task_completion_days",
  "project_task_counts",
];
