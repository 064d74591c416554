import { z } from "zod";
import { AppError } from "./errors.ts";

type CursorValue = string | number | null;

/**
 * Opaque keyset cursors: the values of the last row of a page, base64url JSON. Clients pass
 * them back untouched; a forged or stale one is a 422 on `cursor`, never a wrong page.
 */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  const values = cursorValues(cursor);
  if (values?.length === arity) return values;
  throw invalidCursor();
}

/** The values in a cursor, or null when it is not base64url JSON of an array of scalars. */
function cursorValues(cursor: string): CursorValue[] | null {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.every((value) => value === null || typeof value === "string" || typeof value === "number")
    ) {
      return values;
    }
  } catch {
    // Not JSON: the same answer as a well-formed but wrong cursor.
  }
  return null;
}

const INVALID_CURSOR = "The cursor is not valid. Start again without one.";

/** The one answer to a cursor the box did not hand out: 422 on `cursor`. */
export function invalidCursor(): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path: "cursor", message: INVALID_CURSOR }]);
}

/** Whether a cursor could be one of ours at all (each list still checks its own shape). */
function isWellFormedCursor(cursor: string): boolean {
  return (cursorValues(cursor)?.length ?? 0) > 0;
}

/** The id a keyset page continues after, from a cursor of one string; 422 on any other. */
export function cursorKey(cursor: string): string {
  const [key] = decodeCursor(cursor, 1);
  if (typeof key === "string" && key.length > 0 && key.length <= 128) return key;
  throw invalidCursor();
}

/**
 * `?limit=`: 1 to 200 rows, `fallback` when absent (50 for every list but search). A new
 * schema on each call, so the OpenAPI document writes each list's limit in place.
 */
export function limitQuery(fallback = 50) {
  return z.coerce.number().int().min(1).max(200).default(fallback);
}

/**
 * `?limit=` (default 50, max 200) and `?cursor=`: every list of the API takes these, so a
 * cursor that is not even one of ours is refused here, before a list (or its CSV export) runs.
 */
export const pageQuery = z.object({
  limit: limitQuery(),
  cursor: z.string().max(500).refine(isWellFormedCursor, INVALID_CURSOR).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

/** Cuts the one extra row a list fetched to learn whether another page follows. */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  cursorOf: (row: Row) => CursorValue[],
): { data: Row[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}

/**
 * A page of a list that is read whole because it stays small (roles, sessions, invitations,
 * models): the same `limit` and opaque cursor as a keyset page. The cursor is the offset of the
 * next row; one past the end (the list shrank meanwhile) is a 422, so the client starts again.
 */
export function pageOfAll<Row>(rows: Row[], query: PageQuery): { data: Row[]; nextCursor: string | null } {
  const start = cursorOffset(query);
  if (start > 0 && start >= rows.length) throw invalidCursor();
  const end = start + query.limit;
  return { data: rows.slice(start, end), nextCursor: end < rows.length ? encodeCursor([end]) : null };
}

/**
 * Where pageOfAll's page starts (0 without a cursor); 422 for a cursor it did not hand out. A
 * route that must do slow or conditional work before it has the rows checks the cursor first.
 */
export function cursorOffset(query: PageQuery): number {
  if (query.cursor === undefined) return 0;
  const [offset] = decodeCursor(query.cursor, 1);
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 1) throw invalidCursor();
  return offset;
}

/** The id a keyset page continues after (or before), from an opaque cursor; 422 on a forged one. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const [id] = decodeCursor(cursor, 1);
  if (typeof id === "string" && id.length <= 64) return id;
  throw invalidCursor();
}
