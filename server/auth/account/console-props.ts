import type { Context } from "hono";
import type { AccountPageProps } from "../../../views/pages/auth/account.tsx";
import type { TwoFactorSetupPageProps } from "../../../views/pages/auth/two-factor-setup.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { passwordMinLengthFor } from "../organizations/org-policy.ts";
import { listMyInvitations } from "../people/membership-invitations.ts";
import { isBuiltInRole, roleLabels } from "../roles/permissions.ts";
import { listUserOrganizations, permissionsOfRole } from "../roles/roles.ts";
import { qrCodeSvg } from "../two-factor/qr-code.ts";
import { describeTwoFactor, type startEnrolment } from "../two-factor/two-factor.ts";
import { accountContext, sessionAuth } from "./account-context.ts";
import { listMySessions } from "./profile.ts";

/** The account pages' props: my profile, organisations, sessions, two-factor state, and the 2FA set-up. */

export type PageState = Pick<AccountPageProps, "password" | "twoFactorState" | "sessionsNotice" | "organizationsState">;

export function roleLabelOf(role: string, name: string): string {
  return isBuiltInRole(role) ? roleLabels[role] : name;
}

/** My account page: who I am, my organisations, sessions, invitations and two-factor state, plus a form's outcome. */
export function accountPageProps(c: Context<AppEnv>, state: PageState = {}): AccountPageProps {
  const auth = sessionAuth(c);
  const ctx = accountContext(c);
  return {
    user: { name: auth.user.name, email: auth.user.email },
    organisation: auth.membership
      ? { name: auth.membership.organization.name, role: roleLabelOf(auth.membership.role, auth.membership.roleName) }
      : null,
    csrf: formCsrf(c),
    passwordMinLength: passwordMinLengthFor(ctx.db, ctx.userId),
    twoFactor: describeTwoFactor(ctx),
    sessions: listMySessions(ctx),
    invitations: listMyInvitations(ctx.db, ctx.userId),
    organizations: listUserOrganizations(ctx.db, ctx.userId).map((organization) => ({
      id: organization.id,
      name: organization.name,
      roleName: roleLabelOf(
        organization.role,
        permissionsOfRole(ctx.db, organization.id, organization.role)?.name ?? organization.role,
      ),
      current: organization.id === auth.membership?.organization.id,
    })),
    ...state,
  };
}

/** The 2FA set-up page for an enrolment just started: its QR code and secret. */
export async function twoFactorSetupProps(
  c: Context<AppEnv>,
  enrolment: ReturnType<typeof startEnrolment>,
  next: string,
  error: string | null,
): Promise<TwoFactorSetupPageProps> {
  const qrSvg = await qrCodeSvg(enrolment.keyUri);
  return {
    qrSvg,
    secret: enrolment.secret,
    next,
    csrf: formCsrf(c),
    required: c.var.auth?.pending === "two_factor_enrolment",
    error,
  };
}
