import type { Context } from "hono";
import type { AcceptInvitationPageProps } from "../../../views/pages/auth/accept-invitation.tsx";
import type { ResetPasswordPageProps } from "../../../views/pages/auth/reset-password.tsx";
import type { UsersSettingsProps } from "../../../views/pages/settings/users-types.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { passwordMinLengthFor } from "../organizations/org-policy.ts";
import { listRoles } from "../roles/custom-roles.ts";
import type { InvitationDetails } from "./invitation-acceptance.ts";
import { listUsers, userJson } from "./users.ts";

/** The people pages' props: Users and roles, accepting an invitation, choosing a new password. */

/** What a console route may change about the page before it is drawn. */
export type UsersPageState = Partial<Omit<UsersSettingsProps, "people" | "roles" | "csrf">> & { cursor?: string };

/** Everything the Users and roles page shows, read fresh, with the route's changes on top. */
export function usersPageProps(c: Context<AppEnv>, state: UsersPageState = {}): UsersSettingsProps {
  const ctx = serviceContext(c);
  const canManageUsers = ctx.permissions.has("users.manage");
  const roles = listRoles(ctx).map((role) => ({
    id: role.id,
    label: role.name,
    builtIn: role.builtIn,
    permissions: role.permissions,
    members: role.members,
  }));
  const labels = new Map(roles.map((role) => [role.id, role.label]));
  const page = canManageUsers ? listUsers(ctx, { limit: 100, cursor: state.cursor }) : { data: [], nextCursor: null };
  return {
    // Through userJson: an invitation nobody answered shows only what this organisation typed.
    people: page.data.map(userJson).map((person) => ({
      id: person.id,
      name: person.name,
      email: person.email,
      role: person.role,
      roleLabel: labels.get(person.role) ?? person.role,
      status: person.status,
      twoFactorEnabled: person.twoFactorEnabled,
      lastSignInAt: person.lastSignInAt ? new Date(person.lastSignInAt) : null,
    })),
    nextHref: page.nextCursor ? `/settings/users?cursor=${encodeURIComponent(page.nextCursor)}` : null,
    roles,
    currentUserId: ctx.userId,
    canManageUsers,
    canManageRoles: ctx.permissions.has("roles.manage"),
    availablePermissions: [...ctx.permissions],
    confirmDeactivateId: null,
    confirmRemoveId: null,
    flash: null,
    invite: { values: { email: "", name: "", role: "member" }, errors: {} },
    newRole: { values: { name: "", permissions: ["workspace.read", "assistant.ask"] }, errors: {} },
    editRole: null,
    csrf: formCsrf(c),
    ...state,
  };
}

/** The accept-invitation form: who is invited where, and why the last try was refused. */
export function acceptInvitationFormProps(
  c: Context<AppEnv>,
  details: InvitationDetails,
  errors?: Record<string, string>,
): AcceptInvitationPageProps {
  return {
    state: "form",
    email: details.email,
    organizationName: details.organizationName,
    roleName: details.roleName,
    minLength: details.passwordMinLength,
    csrf: formCsrf(c),
    errors,
  };
}

/** The new-password form of a reset link, with the person's organisations' minimum length. */
export function resetPasswordFormProps(
  c: Context<AppEnv>,
  user: { id: string; email: string },
  errors?: Record<string, string>,
): ResetPasswordPageProps {
  return {
    state: "form",
    email: user.email,
    minLength: passwordMinLengthFor(c.var.deps.db, user.id),
    csrf: formCsrf(c),
    ...(errors ? { errors } : {}),
  };
}
