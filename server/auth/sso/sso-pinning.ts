import { and, eq, ne } from "drizzle-orm";
import { memberships, organizations } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { listUserOrganizations } from "../roles/roles.ts";
import type { Auth } from "../sessions/context.ts";

/**
 * A session opened through an organisation's single sign-on speaks for that organisation only
 * (sessions.ssoOrgId). These are the limits that follow for what belongs to the whole account.
 */

/** The organisation a session's single sign-on speaks for, or null for a password sign-in. */
export function pinnedOrganizationId(auth: Auth | null | undefined): string | null {
  return auth?.session?.ssoOrgId ?? null;
}

/**
 * Whether the session may change the account itself (password, second factor, sessions, API
 * keys): always after a password sign-in; after a single sign-on only while the account
 * belongs to that organisation alone, so one organisation's provider never reaches the
 * person's other organisations.
 */
export function speaksForAccount(db: Db, auth: Auth): boolean {
  const pinned = pinnedOrganizationId(auth);
  if (!pinned) return true;
  const elsewhere = db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, auth.user.id), ne(memberships.orgId, pinned)))
    .get();
  return elsewhere === undefined;
}

/** 403 unless the session speaks for the whole account (see speaksForAccount). */
export function assertSpeaksForAccount(db: Db, auth: Auth): void {
  if (speaksForAccount(db, auth)) return;
  throw new AppError("forbidden", `${ssoSentence(db, auth)} Sign in with your password to change your account.`);
}

/** 403 for a single sign-on session: joining or refusing an organisation needs the person's own sign-in. */
export function assertMayAnswerInvitations(db: Db, auth: Auth): void {
  if (!pinnedOrganizationId(auth)) return;
  throw new AppError("forbidden", `${ssoSentence(db, auth)} Sign in with your password to answer invitations.`);
}

function ssoSentence(db: Db, auth: Auth): string {
  const orgId = pinnedOrganizationId(auth) ?? "";
  const name = db
    .select({ name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .get()?.name;
  return `You signed in through ${name ?? "an organisation"}'s single sign-on, which speaks for that organisation only.`;
}

/** The person's organisations as this session may list them: only its own after a single sign-on. */
export function visibleOrganizations(db: Db, auth: Auth): { id: string; name: string; role: string }[] {
  const all = listUserOrganizations(db, auth.user.id);
  const pinned = pinnedOrganizationId(auth);
  return pinned ? all.filter((organization) => organization.id === pinned) : all;
}
