import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { approvalDecisions } from "../../../models/approvals.ts";
import { memberships, users } from "../../../models/identity.ts";
import type { Queryable } from "../../db.ts";
import { preparedQuery } from "../../db-prepared.ts";

// What a page of requests needs to say who each waits on, in a few statements prepared once:
// asked per row, and built and compiled on every request, these were most of the time of the
// approvals lists (issue 13). A list of ids goes in as one JSON array.
const idsIn = sql`(select value from json_each(${sql.placeholder("ids")}))`;

/** Which of these people are active members of the organisation (as `findMember` decides). */
export function activeMemberIdsAmong(db: Queryable, orgId: string, ids: Iterable<string>): Set<string> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  const statement = preparedQuery(db, "approvals.activeMembers", () =>
    db
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.orgId, sql.placeholder("orgId")),
          inArray(memberships.userId, idsIn),
          ne(users.status, "deactivated"),
        ),
      )
      .prepare(),
  );
  return new Set(statement.all({ orgId, ids: JSON.stringify(wanted) }).map((row) => row.id));
}

/** The approvals given so far on these requests (any step). */
export function approvalsOf(
  db: Queryable,
  requestIds: string[],
): { requestId: string; stepIndex: number; deciderId: string }[] {
  if (requestIds.length === 0) return [];
  const statement = preparedQuery(db, "approvals.approvalsOf", () =>
    db
      .select({
        requestId: approvalDecisions.requestId,
        stepIndex: approvalDecisions.stepIndex,
        deciderId: approvalDecisions.deciderId,
      })
      .from(approvalDecisions)
      .where(and(inArray(approvalDecisions.requestId, idsIn), eq(approvalDecisions.decision, "approve")))
      .prepare(),
  );
  return statement.all({ ids: JSON.stringify(requestIds) });
}

/** Who holds a role now, the deactivated left out (as `memberIdsWithRole`, prepared once). */
export function roleHolderIds(db: Queryable, orgId: string, role: string): string[] {
  const statement = preparedQuery(db, "approvals.roleHolders", () =>
    db
      .select({ id: users.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.orgId, sql.placeholder("orgId")),
          eq(memberships.role, sql.placeholder("role")),
          ne(users.status, "deactivated"),
        ),
      )
      .prepare(),
  );
  return statement.all({ orgId, role }).map((row) => row.id);
}
