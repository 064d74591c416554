import { and, desc, eq, lt, sql } from "drizzle-orm";
import { type ApprovalRequest, approvalRequests } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { preparedQuery } from "../../db-prepared.ts";
import { hiddenSubjects, visibleTo, waitingOn } from "./routing.ts";
import type { ApprovalListQuery } from "./schemas.ts";

const value = (name: string) => sql.placeholder(name);

/**
 * Up to `limit + 1` requests of the list, newest first, from a statement prepared once per
 * combination of filters: building and compiling the query on every request cost several times
 * what SQLite spends on it (issue 13).
 */
export function approvalListRows(
  ctx: ServiceContext,
  role: string | null,
  query: ApprovalListQuery,
  before: string | null,
): ApprovalRequest[] {
  const filters = {
    status: query.status !== undefined,
    subjectType: query.subjectType !== undefined,
    requestedBy: query.requestedBy !== undefined,
    waitingOn: query.waitingOn !== undefined,
    before: before !== null,
  };
  const hidden = hiddenSubjects(ctx);
  const shape = `${Object.values(filters).map(Number).join("")}:${hidden.join(",")}`;
  const statement = preparedQuery(ctx.db, `approvals.list:${shape}`, () =>
    ctx.db
      .select()
      .from(approvalRequests)
      .where(
        and(
          eq(approvalRequests.orgId, value("orgId")),
          filters.status ? eq(approvalRequests.status, value("status")) : undefined,
          filters.subjectType ? eq(approvalRequests.subjectType, value("subjectType")) : undefined,
          filters.requestedBy ? eq(approvalRequests.requestedBy, value("userId")) : undefined,
          filters.waitingOn ? waitingOn(value("userId"), value("role")) : undefined,
          filters.before ? lt(approvalRequests.id, value("before")) : undefined,
          visibleTo(ctx, value("role"), value("userId")),
        ),
      )
      .orderBy(desc(approvalRequests.id))
      .limit(value("limit"))
      .prepare(),
  );
  return statement.all({
    orgId: ctx.orgId,
    status: query.status,
    subjectType: query.subjectType,
    userId: ctx.userId,
    role,
    before,
    limit: query.limit + 1,
  });
}
