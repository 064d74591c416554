import { sql } from "drizzle-orm";
import { integer } from "drizzle-orm/sqlite-core";

// Columns every capability's tables share. Times are milliseconds since the epoch.

export const timestamp = (name: string) => integer(name, { mode: "timestamp_ms" });
export const createdAt = () => timestamp("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);
export const updatedAt = () => timestamp("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);
