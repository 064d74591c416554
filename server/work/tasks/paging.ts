import { decodeCursor, invalidCursor } from "../../http/cursor.ts";

/** The id a keyset page continues after (or before), from an opaque cursor; 422 on a forged one. */
export function cursorId(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const [id] = decodeCursor(cursor, 1);
  if (typeof id === "string" && id.length <= 64) return id;
  throw invalidCursor();
}
