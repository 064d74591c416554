import { and, asc, eq, gt } from "drizzle-orm";
import {
  type Membership,
  type MembershipInvitation,
  membershipInvitations,
  memberships,
  type User,
  users,
} from "../../../models/identity.ts";
import { invalidCursor } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { inviteMember } from "./invitations.ts";
import type { InviteUserInput, ListQuery } from "./people-schemas.ts";

/**
 * A person as one organisation sees them: the account and their role there. `pending` is an
 * invitation the person has not answered: the organisation then sees only what it typed itself.
 */
export type Person = {
  user: User;
  role: string;
  membershipId: string;
  /** The organisation's own name for the member, or null for the account's name. */
  displayName: string | null;
  pending: { name: string; createdAt: Date } | null;
};

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

/** The API's view of a person. A pending invitation reads like one to a new address, account facts withheld. */
export function userJson(person: Person): UserJson {
  const { user, pending } = person;
  if (pending) {
    return {
      id: user.id,
      email: user.email,
      name: pending.name,
      role: person.role,
      status: "invited",
      twoFactorEnabled: false,
      lastSignInAt: null,
      createdAt: pending.createdAt.toISOString(),
    };
  }
  return {
    id: user.id,
    email: user.email,
    name: person.displayName ?? user.name,
    role: person.role,
    status: user.status,
    twoFactorEnabled: user.totpEnabledAt !== null,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** The name this organisation shows for a person. */
export function personName(person: Person): string {
  return person.pending?.name ?? person.displayName ?? person.user.name;
}

export function userEtag(person: Person): string {
  return etagOf(userJson(person));
}

function memberPerson(row: { users: User; memberships: Membership }): Person {
  return {
    user: row.users,
    role: row.memberships.role,
    membershipId: row.memberships.id,
    displayName: row.memberships.displayName,
    pending: null,
  };
}

function invitedPerson(row: { users: User; membership_invitations: MembershipInvitation }): Person {
  const invitation = row.membership_invitations;
  return {
    user: row.users,
    role: invitation.role,
    membershipId: invitation.id,
    displayName: invitation.displayName,
    pending: { name: invitation.displayName, createdAt: invitation.createdAt },
  };
}

/**
 * One page of the organisation's people (members and pending invitations) in the order they
 * were added. The cursor is the last membership id seen; invitations carry the membership id
 * they will keep, and ids only ever grow, so new people never shift a page.
 */
export function listUsers(ctx: ServiceContext, query: ListQuery): { data: Person[]; nextCursor: string | null } {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const members = ctx.db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.orgId), after ? gt(memberships.id, after) : undefined))
    .orderBy(asc(memberships.id))
    .limit(query.limit + 1)
    .all()
    .map(memberPerson);
  const invited = ctx.db
    .select()
    .from(membershipInvitations)
    .innerJoin(users, eq(users.id, membershipInvitations.userId))
    .where(and(eq(membershipInvitations.orgId, ctx.orgId), after ? gt(membershipInvitations.id, after) : undefined))
    .orderBy(asc(membershipInvitations.id))
    .limit(query.limit + 1)
    .all()
    .map(invitedPerson);
  const rows = [...members, ...invited].sort((a, b) => (a.membershipId < b.membershipId ? -1 : 1));
  const data = rows.slice(0, query.limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.membershipId) : null };
}

/** A person of the current organisation (or invited to it); null for unknown ids and other organisations' people. */
export function findUserById(ctx: ServiceContext, userId: string): Person | null {
  const row = ctx.db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, userId)))
    .get();
  if (row) return memberPerson(row);
  const invited = ctx.db
    .select()
    .from(membershipInvitations)
    .innerJoin(users, eq(users.id, membershipInvitations.userId))
    .where(and(eq(membershipInvitations.orgId, ctx.orgId), eq(membershipInvitations.userId, userId)))
    .get();
  return invited ? invitedPerson(invited) : null;
}

/** The person, or 404 "No such person." for anyone who is not a member of the organisation. */
export function personOrNotFound(ctx: ServiceContext, userId: string): Person {
  const person = findUserById(ctx, userId);
  if (!person) throw notFound("person");
  return person;
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
    throw invalidCursor();
  }
  return text.slice(2);
}
