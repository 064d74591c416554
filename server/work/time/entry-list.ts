import { and, desc, eq, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import { type TimeEntry, timeEntries } from "../../../models/time.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import type { TimeEntryFilters, TimeEntryListQuery } from "./schemas.ts";
import { assertSeesTimeOf, timeScopeOf } from "./scope.ts";

/**
 * Whose entries a `userId` filter means: `me`, one person the caller may see (else 404), or
 * `all` = everyone the caller may see.
 */
export function ownerCondition(ctx: ServiceContext, userId: string): SQL | undefined {
  if (userId === "me" || userId === ctx.userId) return eq(timeEntries.userId, ctx.userId);
  if (userId === "all") {
    const scope = timeScopeOf(ctx);
    return scope.kind === "all" ? undefined : inArray(timeEntries.userId, [...scope.ids]);
  }
  assertSeesTimeOf(ctx, userId);
  return eq(timeEntries.userId, userId);
}

export function entryConditions(ctx: ServiceContext, filters: TimeEntryFilters): SQL | undefined {
  return and(
    eq(timeEntries.orgId, ctx.orgId),
    ownerCondition(ctx, filters.userId),
    filters.projectId ? eq(timeEntries.projectId, filters.projectId) : undefined,
    filters.taskId ? eq(timeEntries.taskId, filters.taskId) : undefined,
    filters.from ? gte(timeEntries.date, filters.from) : undefined,
    filters.to ? lte(timeEntries.date, filters.to) : undefined,
    filters.billable === undefined ? undefined : eq(timeEntries.billable, filters.billable),
  );
}

/**
 * One page of entries, newest day first (then newest entry). Keyset on (date, id): entries
 * added while paging land before the cursor or after it, never twice.
 */
export function listTimeEntries(
  ctx: ServiceContext,
  query: TimeEntryListQuery,
): { data: TimeEntry[]; nextCursor: string | null } {
  let after: SQL | undefined;
  if (query.cursor) {
    const [date, id] = decodeCursor(query.cursor, 2);
    if (typeof date !== "string" || typeof id !== "string") decodeCursor("", 2);
    after = or(
      lt(timeEntries.date, String(date)),
      and(eq(timeEntries.date, String(date)), lt(timeEntries.id, String(id))),
    );
  }
  const rows = ctx.db
    .select()
    .from(timeEntries)
    .where(and(entryConditions(ctx, query), after))
    .orderBy(desc(timeEntries.date), desc(timeEntries.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.date, row.id]);
}

/** The entries of one person's days from `from` to `to`, oldest first (a week's grid). */
export function entriesOfDays(db: Queryable, orgId: string, userId: string, from: string, to: string): TimeEntry[] {
  // Prepared once per connection: the week page reads it on every load.
  return preparedQuery(db, "time.entriesOfDays", () =>
    db
      .select()
      .from(timeEntries)
      .where(
        and(
          eq(timeEntries.orgId, sql.placeholder("orgId")),
          eq(timeEntries.userId, sql.placeholder("userId")),
          gte(timeEntries.date, sql.placeholder("from")),
          lte(timeEntries.date, sql.placeholder("to")),
        ),
      )
      .orderBy(timeEntries.date, timeEntries.id)
      .prepare(),
  ).all({ orgId, userId, from, to });
}
