/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { UsersSettings, UsersSettingsPage } from "../../../views/pages/settings/users.tsx";
import type { Flash, UsersSettingsProps } from "../../../views/pages/settings/users-types.ts";
import { renderPage } from "../../console/render.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { listRoles } from "../roles/custom-roles.ts";
import { listUsers, userJson } from "./users.ts";

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

/** Answers htmx with the page's content block, a plain form post or a link with the whole page. */
export function renderUsersPage(
  c: Context<AppEnv>,
  state: UsersPageState = {},
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const props = usersPageProps(c, state);
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<UsersSettings {...props} />, status);
  return renderPage(
    c,
    { title: "Users and roles", current: "/settings/users" },
    <UsersSettingsPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

/**
 * Runs a change and answers with the page: a flash on success; the expected refusals (last
 * admin, beyond your own role, an unknown role) as an error flash with their status. Anything
 * else (404 for another organisation's row) goes to the error handler.
 */
export function changeAndRender(c: Context<AppEnv>, change: () => string): Response | Promise<Response> {
  try {
    return renderUsersPage(c, { flash: { kind: "notice", text: change() } });
  } catch (error) {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
      throw error;
    }
    const flash: Flash = { kind: "error", text: error.details[0]?.message ?? error.message };
    return renderUsersPage(c, { flash }, error.status as ContentfulStatusCode);
  }
}
