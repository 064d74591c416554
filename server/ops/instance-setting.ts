import { eq } from "drizzle-orm";
import type { z } from "zod";
import { instanceSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";

/** A box-wide setting of this capability, parsed with `schema`; null when absent or no longer in shape. */
export function readInstanceSetting<T>(db: Queryable, key: string, schema: z.ZodType<T>): T | null {
  const value = db.select().from(instanceSettings).where(eq(instanceSettings.key, key)).get()?.value;
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** Writes (or, with null, deletes) a box-wide setting. */
export function writeInstanceSetting(db: Queryable, key: string, value: unknown, now = new Date()): void {
  if (value === null) {
    db.delete(instanceSettings).where(eq(instanceSettings.key, key)).run();
    return;
  }
  db.insert(instanceSettings)
    .values({ key, value, updatedAt: now })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: now } })
    .run();
}
