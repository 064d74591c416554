import { z } from "zod";
import { AppError } from "./errors.ts";

/**
 * Opaque keyset cursors: the values of the last row of a page, base64url JSON. Clients pass
 * them back untouched; a forged or stale one is a 422 on `cursor`, never a wrong page.
 */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): (string | number | null)[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((value) => value === null || typeof value === "string" || typeof value === "number")
    ) {
      return values;
    }
  } catch {
    // Falls through to the same answer as a well-formed but wrong cursor.
  }
  throw new AppError("validation_failed", "The request is not valid.", [
    { path: "cursor", message: "The cursor is not valid. Start again without one." },
  ]);
}

/** `?limit=` (default 50, max 200) and `?cursor=`: every list of the API takes these. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Cuts the one extra row a list fetched to learn whether another page follows. */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => (string | number | null)[],
): { data: Row[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
