import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { memberships, users } from "../../models/identity.ts";
import type { Queryable } from "../db.ts";
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

/** Names of people by id (any status: history shows people who have since left), for lists and feeds. */
export function namesOf(db: Queryable, ids: (string | null | undefined)[]): Map<string, string> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (wanted.length === 0) return new Map();
  const rows = db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted)).all();
  return new Map(rows.map((row) => [row.id, row.name]));
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
