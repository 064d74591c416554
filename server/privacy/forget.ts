import { and, eq } from "drizzle-orm";
import { apiKeys, emailTokens, membershipInvitations, memberships, type User } from "../../models/identity.ts";
import { conversations } from "../../models/knowledge.ts";
import { mailMessages } from "../../models/mail.ts";
import { notificationPreferences, notifications } from "../../models/notifications.ts";
import { timers } from "../../models/time.ts";
import { projectMembers, teamMembers } from "../../models/work.ts";
import { invalidateUserSessionsInOrganization } from "../auth/sessions/sessions.ts";
import type { Queryable } from "../db.ts";
import { createStandIn } from "./pseudonym.ts";
import { replaceEverywhere, replaceName } from "./rewrite.ts";

export type Forgotten = { orgId: string; standInId: string; pseudonym: string };

/**
 * One organisation forgets a person: what was only theirs goes (membership, places in teams and
 * projects, sessions and keys there, a running timer, their assistant conversations, mail to
 * them, their notifications and choices), and the records the business keeps (tasks, time, approvals, invoices, events, audit)
 * point at a stand-in, with the person's address and names in their text replaced by its pseudonym.
 */
export function forgetInOrganization(db: Queryable, input: { orgId: string; user: User }, now: Date): Forgotten {
  const { orgId, user } = input;
  const displayName =
    db
      .select({ displayName: memberships.displayName })
      .from(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user.id)))
      .get()?.displayName ?? null;
  db.delete(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, user.id)))
    .run();
  db.delete(membershipInvitations)
    .where(and(eq(membershipInvitations.orgId, orgId), eq(membershipInvitations.userId, user.id)))
    .run();
  db.delete(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), eq(teamMembers.userId, user.id)))
    .run();
  db.delete(projectMembers)
    .where(and(eq(projectMembers.orgId, orgId), eq(projectMembers.userId, user.id)))
    .run();
  db.delete(timers)
    .where(and(eq(timers.orgId, orgId), eq(timers.userId, user.id)))
    .run();
  db.delete(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.userId, user.id)))
    .run();
  db.delete(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.userId, user.id)))
    .run();
  db.delete(emailTokens)
    .where(and(eq(emailTokens.orgId, orgId), eq(emailTokens.userId, user.id)))
    .run();
  db.delete(notifications)
    .where(and(eq(notifications.orgId, orgId), eq(notifications.userId, user.id)))
    .run();
  db.delete(notificationPreferences)
    .where(and(eq(notificationPreferences.orgId, orgId), eq(notificationPreferences.userId, user.id)))
    .run();
  invalidateUserSessionsInOrganization(db, user.id, orgId);
  db.delete(mailMessages)
    .where(and(eq(mailMessages.orgId, orgId), eq(mailMessages.toAddress, user.email)))
    .run();

  const standIn = createStandIn(db, now);
  replaceEverywhere(db, orgId, user.id, standIn.id);
  replaceEverywhere(db, orgId, user.email, standIn.pseudonym);
  for (const name of new Set([displayName, user.name])) if (name) replaceName(db, orgId, name, standIn.pseudonym);
  return { orgId, standInId: standIn.id, pseudonym: standIn.pseudonym };
}
