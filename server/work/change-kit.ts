import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { assertMember } from "../members/directory.ts";

/** Pieces every change of a project, team or piece of equipment uses. */

/** Whether an error is SQLite refusing a duplicate in a unique index (drizzle may wrap it). */
export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return true;
  }
  return false;
}

/** A 409 that also names the field, so forms can show it beside the input. */
export function takenError(path: string, message: string): AppError {
  return new AppError("conflict", message, [{ path, message }]);
}

/** Each id must be an active person of the organisation: 422 on `path.N` otherwise. */
export function assertMembers(db: Queryable, orgId: string, ids: readonly string[], path: string): void {
  ids.forEach((id, index) => {
    assertMember(db, orgId, id, `${path}.${index}`);
  });
}

/** The fields whose value changes, each with its old and new value (for the event's data). */
export function fieldChanges<Row extends Record<string, unknown>>(
  before: Row,
  after: Partial<Row>,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const previous = before[field];
    if (JSON.stringify(previous) !== JSON.stringify(value)) changes[field] = { from: previous, to: value };
  }
  return changes;
}
