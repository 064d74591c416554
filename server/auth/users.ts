import { and, asc, eq, gt } from "drizzle-orm";
import { memberships, type User, users } from "../../models/identity.ts";
import { AppError } from "../http/errors.ts";
import type { ServiceContext } from "./context.ts";
import { etagOf } from "./etag.ts";
import { inviteMember } from "./invitations.ts";
import type { InviteUserInput, ListQuery } from "./people-schemas.ts";

/** A person as one organisation sees them: the account and their role there. */
export type Person = { user: User; role: string; membershipId: string };

export type UserJson = {
  id: string;
  email: string;
  name: string;
  role: string;
  status: User["status"];
  twoFactorEnabled: boolean;
  lastSignInAt: string | null;
  createdAt: string;
};

export function userJson(person: Person): UserJson {
  const { user } = person;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: person.role,
    status: user.status,
    twoFactorEnabled: user.totpEnabledAt !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function userEtag(person: Person): string {
  return etagOf(userJson(person));
}

/**
 * One page of the organisation's people in the order they joined. The cursor is the last
 * membership seen; memberships only ever get later ids, so new people never shift a page.
 */
export function listUsers(ctx: ServiceContext, query: ListQuery): { data: Person[]; nextCursor: string | null } {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = ctx.db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.orgId), after ? gt(memberships.id, after) : undefined))
    .orderBy(asc(memberships.id))
    .limit(query.limit + 1)
    .all();
  const data = rows
    .slice(0, query.limit)
    .map((row) => ({ user: row.users, role: row.memberships.role, membershipId: row.memberships.id }));
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.membershipId) : null };
}

/** A person of the current organisation; null for unknown ids and for people of other organisations. */
export function findUserById(ctx: ServiceContext, userId: string): Person | null {
  const row = ctx.db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)))
    .get();
  return row ? { user: row.users, role: row.memberships.role, membershipId: row.memberships.id } : null;
}

/** Creates (or adds) a person with a role and e-mails them an invitation. 409 when already a member. */
export function inviteUser(ctx: ServiceContext, input: InviteUserInput, baseUrl: string): Person {
  const result = inviteMember(ctx.db, ctx.log, {
    orgId: ctx.orgId,
    email: input.email,
    name: input.name,
    role: input.role,
    actor: { userId: ctx.userId, apiKeyId: ctx.apiKeyId, permissions: ctx.permissions },
    resend: false,
    baseUrl,
    meta: ctx.meta,
  });
  const person = findUserById(ctx, result.user.id);
  if (!person) throw new AppError("internal", "The invited person could not be read back.");
  return person;
}

function encodeCursor(membershipId: string): string {
  return Buffer.from(`m:${membershipId}`).toString("base64url");
}

function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  if (!text.startsWith("m:mem_")) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "cursor", message: "The cursor is not valid. Start again without one." },
    ]);
  }
  return text.slice(2);
}
