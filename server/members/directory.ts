import { type AnyColumn, and, asc, eq, ne, type SQL, sql } from "drizzle-orm";
import { membershipInvitations, memberships, users } from "../../models/identity.ts";
import type { Queryable } from "../db.ts";
import { preparedQuery } from "../db-prepared.ts";
import { AppError } from "../http/errors.ts";

/** Someone who can be picked in the workspace: an owner, assignee, lead or approver. */
export type Member = { id: string; name: string; email: string; role: string };

/** The name an organisation shows for its member: its own name for them, else the person's. */
const shownName = sql<string>`coalesce(${memberships.displayName}, ${users.name})`;

/** The organisation's people who are not deactivated, by name: the choices of every person picker. */
export function listMembers(db: Queryable, orgId: string): Member[] {
  return db
    .select({ id: users.id, name: shownName, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), ne(users.status, "deactivated")))
    .orderBy(asc(shownName))
    .all();
}

/** The members with an active account (not invited and not yet joined, not deactivated): who gets mail. */
export function listActiveMembers(db: Queryable, orgId: string): Member[] {
  return db
    .select({ id: users.id, name: shownName, email: users.email, role: memberships.role })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(users.status, "active")))
    .orderBy(asc(shownName))
    .all();
}

/** A member of the organisation, or null (also for a deactivated person). */
export function findMember(db: Queryable, orgId: string, userId: string): Member | null {
  return (
    db
      .select({ id: users.id, name: shownName, email: users.email, role: memberships.role })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId), ne(users.status, "deactivated")))
      .get() ?? null
  );
}

/** Throws a 422 on `path` unless `userId` is an active member of the organisation. */
export function assertMember(db: Queryable, orgId: string, userId: string, path: string): Member {
  const member = findMember(db, orgId, userId);
  if (!member) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path, message: "No such person in this organisation." },
    ]);
  }
  return member;
}

/** What an organisation's pages call someone who is no longer (or never was) its member. */
export const FORMER_MEMBER = "Former member";

/**
 * The name an organisation shows for whoever `memberships` (left-joined on the organisation and
 * the person) and `users` give: its own name for a member, else the person's; someone who is no
 * longer a member is not named (the account's name now is not the organisation's to show).
 */
export const orgShownName = sql<string>`case when ${memberships.id} is null then ${FORMER_MEMBER} else coalesce(${memberships.displayName}, ${users.name}) end`;

/**
 * Names of people as one organisation knows them, by id: a member (any status) by the
 * organisation's own name for them, else the person's; a pending invitee by what the
 * organisation typed. Anyone else is left out. Two indexed reads at most (the second only
 * when someone is not a member).
 */
export function orgNamesOf(db: Queryable, orgId: string, ids: (string | null | undefined)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return new Map();
  const idList = JSON.stringify(wanted);
  const memberNames = preparedQuery(db, "members.orgNamesOf", () =>
    db
      .select({ id: memberships.userId, name: shownName })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, sql.placeholder("orgId")), inJsonList(memberships.userId)))
      .prepare(),
  );
  const names = new Map(memberNames.all({ orgId, ids: idList }).map((row) => [row.id, row.name]));
  if (names.size < wanted.length) {
    const invitedNames = preparedQuery(db, "members.invitedNamesOf", () =>
      db
        .select({ id: membershipInvitations.userId, name: membershipInvitations.displayName })
        .from(membershipInvitations)
        .where(and(eq(membershipInvitations.orgId, sql.placeholder("orgId")), inJsonList(membershipInvitations.userId)))
        .prepare(),
    );
    for (const row of invitedNames.all({ orgId, ids: idList })) if (!names.has(row.id)) names.set(row.id, row.name);
  }
  return names;
}

/** `column in (the JSON array bound as "ids")`: one prepared statement serves any number of ids. */
function inJsonList(column: AnyColumn): SQL {
  return sql`${column} in (select value from json_each(${sql.placeholder("ids")}))`;
}

/**
 * Names of people by id as the organisation knows them (orgNamesOf), for lists and feeds:
 * history keeps showing people who have since left, as FORMER_MEMBER.
 */
export function namesOf(db: Queryable, orgId: string, ids: (string | null | undefined)[]): Map<string, string> {
  const names = orgNamesOf(db, orgId, ids);
  for (const id of ids) if (typeof id === "string" && !names.has(id)) names.set(id, FORMER_MEMBER);
  return names;
}

/**
 * The caller's name for event summaries ("Ada archived …"): the one the request already knows
 * (`actorName` of a task context), else read with `db` (the caller's transaction where there is one).
 */
export function actorName(
  db: Queryable,
  ctx: { orgId: string; userId: string; actorName?: string | undefined },
): string {
  return ctx.actorName ?? namesOf(db, ctx.orgId, [ctx.userId]).get(ctx.userId) ?? "Someone";
}

/** Ids of the members who hold `role` (a built-in name or a custom role id). */
export function memberIdsWithRole(db: Queryable, orgId: string, role: string): string[] {
  return db
    .select({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, role), ne(users.status, "deactivated")))
    .all()
    .map((row) => row.id);
}

/** The caller's role in the organisation (built-in name or custom role id), or null. */
export function roleOf(db: Queryable, orgId: string, userId: string): string | null {
  const query = preparedQuery(db, "members.roleOf", () =>
    db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, sql.placeholder("orgId")), eq(memberships.userId, sql.placeholder("userId"))))
      .prepare(),
  );
  return query.get({ orgId, userId })?.role ?? null;
}
