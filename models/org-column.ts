import { text } from "drizzle-orm/sqlite-core";
import { organizations } from "./identity.ts";

/** The organisation a business row belongs to; its rows go with it. */
export const orgId = () =>
  text("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
