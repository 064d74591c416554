import { and, eq } from "drizzle-orm";
import { memberships, type SsoProvider, ssoIdentities, type User, users } from "../../../models/identity.ts";
import { type RequestMeta, recordAudit } from "../../audit/service.ts";
import type { Db } from "../../db.ts";
import { newId } from "../../tools/ids.ts";
import { recordInMemberOrganizations } from "../people/member-elsewhere.ts";
import type { SsoIdentity } from "./sso-claims.ts";
import { findApprovedDomains } from "./sso-domains.ts";

export type SsoRefusal = "deactivated" | "not_member" | "invited" | "not_home" | "no_email" | "unverified_email";

export type SsoAccountResult =
  | { ok: true; user: User; how: "returning" | "linked" | "created" }
  | { ok: false; reason: SsoRefusal; message: string };

/**
 * Finds or makes the Opsbox account behind a provider identity: a known link first; else an
 * account with the same e-mail, linked only when the provider vouches for the address and
 * belongs to the account's home organisation (the one that made it): another organisation's
 * provider could claim any address. Else a new account of the provider's organisation, when
 * the e-mail is vouched for and its domain has a rule that the box's instance admin approved for
 * that organisation (else any admin could claim another organisation's addresses before it
 * invites them). Every outcome but "returning" is audited; a refused reach for an account is
 * also told to the account's organisations.
 */
export function resolveSsoAccount(
  db: Db,
  provider: SsoProvider,
  identity: SsoIdentity,
  meta: RequestMeta,
  organizationName: string,
): SsoAccountResult {
  const refuse = (reason: SsoRefusal, message: string, account?: User): SsoAccountResult => {
    if (account) {
      recordInMemberOrganizations(db, {
        userId: account.id,
        actingOrgId: provider.orgId,
        actingOrganizationName: organizationName,
        action: "auth.sso_refused_elsewhere",
        details: { reason, provider: provider.name },
      });
    }
    recordAudit(db, {
      orgId: provider.orgId,
      action: "auth.sso_refused",
      targetType: "sso_provider",
      targetId: provider.id,
      details: { reason, email: identity.email, provider: provider.name },
      meta,
    });
    return { ok: false, reason, message };
  };

  // Only the provider organisation's own people get a reason; for every other address the
  // answer (and the audit reason) is one and the same, so a provider cannot tell whether an
  // address has an account elsewhere on the box, or in which state.
  const notHere = (account?: User): SsoAccountResult =>
    refuse(
      "not_member",
      `${provider.name} could not sign you in to ${organizationName} as ${identity.email ?? "this person"}: ` +
        `no account of ${organizationName} may be opened this way, and no rule lets the address join. ` +
        `Sign in with your password, or ask an admin of ${organizationName} for an invitation.`,
      account,
    );

  const linked = db
    .select({ user: users })
    .from(ssoIdentities)
    .innerJoin(users, eq(users.id, ssoIdentities.userId))
    .where(and(eq(ssoIdentities.providerId, provider.id), eq(ssoIdentities.subject, identity.subject)))
    .get()?.user;
  if (linked) {
    if (!isMemberOf(db, linked.id, provider.orgId)) return notHere(linked);
    const problem = accountProblem(linked, provider.orgId, organizationName);
    return problem ? refuse(problem.reason, problem.message, linked) : { ok: true, user: linked, how: "returning" };
  }

  if (!identity.email) {
    return refuse("no_email", `${provider.name} did not share your e-mail address, so Opsbox cannot tell who you are.`);
  }
  const existing = db.select().from(users).where(eq(users.email, identity.email)).get();
  if (existing) {
    if (!isMemberOf(db, existing.id, provider.orgId)) return notHere(existing);
    if (!identity.emailVerified) {
      return refuse(
        "unverified_email",
        `${provider.name} did not confirm that ${identity.email} is yours, so it cannot be linked to the Opsbox ` +
          "account with that address. Sign in with your password instead, or ask your admin.",
        existing,
      );
    }
    const problem = accountProblem(existing, provider.orgId, organizationName);
    if (problem) return refuse(problem.reason, problem.message, existing);
    db.insert(ssoIdentities).values({ providerId: provider.id, subject: identity.subject, userId: existing.id }).run();
    recordAudit(db, {
      orgId: provider.orgId,
      action: "auth.sso_linked",
      actorUserId: existing.id,
      targetType: "user",
      targetId: existing.id,
      details: { provider: provider.name, providerId: provider.id, email: identity.email },
      meta,
    });
    return { ok: true, user: existing, how: "linked" };
  }

  const domain = identity.email.split("@").pop() ?? "";
  // A rule for a domain the instance admin has not approved is no rule: the same answer as for any other address.
  const rule = findApprovedDomains(db, provider.orgId).includes(domain)
    ? provider.domainRules.find((candidate) => candidate.domain === domain)
    : undefined;
  if (!rule || !identity.emailVerified) return notHere();
  const user = db.transaction((tx) => {
    const created = tx
      .insert(users)
      .values({
        id: newId("usr"),
        email: identity.email ?? "",
        name: identity.name ?? identity.email?.split("@")[0] ?? "New member",
        passwordHash: null,
        status: "active",
        homeOrgId: provider.orgId,
      })
      .returning()
      .get();
    tx.insert(memberships)
      .values({ id: newId("mem"), orgId: provider.orgId, userId: created.id, role: rule.role })
      .run();
    tx.insert(ssoIdentities).values({ providerId: provider.id, subject: identity.subject, userId: created.id }).run();
    recordAudit(tx, {
      orgId: provider.orgId,
      action: "auth.sso_user_created",
      actorUserId: created.id,
      targetType: "user",
      targetId: created.id,
      details: { provider: provider.name, providerId: provider.id, email: created.email, role: rule.role },
      meta,
    });
    return created;
  });
  return { ok: true, user, how: "created" };
}

function isMemberOf(db: Db, userId: string, orgId: string): boolean {
  return (
    db
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.orgId, orgId)))
      .get() !== undefined
  );
}

/** Why a member of the provider's organisation may not sign in through it, or null. */
function accountProblem(
  user: User,
  orgId: string,
  organizationName: string,
): { reason: SsoRefusal; message: string } | null {
  if (user.status === "deactivated") {
    return { reason: "deactivated", message: "Your Opsbox account has been deactivated. Ask your admin." };
  }
  if (user.status === "invited") {
    return {
      reason: "invited",
      message: "Your invitation has not been accepted yet. Open the link in your invitation e-mail first.",
    };
  }
  // A provider speaks for its own organisation's accounts only: another one's could claim any address.
  if (user.homeOrgId !== orgId) {
    return {
      reason: "not_home",
      message: `Your Opsbox account was not created by ${organizationName}, so ${organizationName}'s sign-in cannot open it. Sign in with your password.`,
    };
  }
  return null;
}
