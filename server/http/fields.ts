import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { isCalendarDay } from "../tools/days.ts";
import { isId } from "../tools/ids.ts";
import { decodeCursor, invalidCursor } from "./cursor.ts";

/** Field schemas shared by projects, teams and equipment. */

/** A calendar day `YYYY-MM-DD` that exists (no 31 February). */
export const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-03-31.")
  .refine(isCalendarDay, { message: "That day does not exist." });

/** A person id (`usr_…`); whether they belong to the organisation is checked in the service. */
export const userId = z
  .string()
  .trim()
  .refine((value) => isId("usr", value), { message: "Use a person's id (usr_…)." });

/** A list of person ids without repeats. */
export const userIds = z
  .array(userId)
  .max(500, "Use at most 500 people.")
  .transform((ids) => [...new Set(ids)]);

/** Optional free text that may be cleared: "" is kept as "". */
export function text(max: number) {
  return z.string().trim().max(max, `Use at most ${max} characters.`);
}

/** `?status=active,on_hold` or repeated: a list of allowed values. */
export function enumList<const Values extends readonly [string, ...string[]]>(values: Values) {
  const one = z.enum(values);
  return z
    .union([z.string(), z.array(z.string())])
    .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((item) => item.split(",")).filter(Boolean))
    .pipe(z.array(one, { error: `Use ${values.join(", ")}.` }).max(values.length));
}

/** A case-insensitive contains-search on a column, with the wildcard characters of the text escaped. */
export function contains(column: AnyColumn, query: string): SQL {
  const pattern = `%${query.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}

/** The string values of a keyset cursor; a cursor of another shape is the same 422 as a forged one. */
export function stringCursor(cursor: string, arity: number): string[] {
  const values = decodeCursor(cursor, arity);
  if (values.every((value): value is string => typeof value === "string")) return values;
  throw invalidCursor();
}
