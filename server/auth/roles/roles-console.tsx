/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { fieldErrors } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { customRoleInput } from "../people/people-schemas.ts";
import { changeAndRender, renderUsersPage, type UsersPageState } from "../people/users-console-view.tsx";
import { createCustomRole, customRoleOrNotFound, deleteCustomRole, updateCustomRole } from "./custom-roles.ts";

type RoleFormValues = { name: string; permissions: string[] };

/** A failed role form: its values and errors go back where they were typed. */
function roleFormFailure(
  roleId: string | null,
  values: RoleFormValues,
  errors: Record<string, string>,
): UsersPageState {
  const state = { values, errors };
  return roleId ? { editRole: { id: roleId, ...state } } : { newRole: state };
}

/** Runs a role form's change; validation and name clashes stay on the form, 404 goes to the error page. */
async function saveRole(c: Parameters<typeof serviceContext>[0], roleId: string | null) {
  const form = await readPostedForm(c);
  const values = { name: form.text("name"), permissions: form.list("permissions") };
  const parsed = customRoleInput.safeParse(values);
  if (!parsed.success) return renderUsersPage(c, roleFormFailure(roleId, values, fieldErrors(parsed.error)), 422);
  const ctx = serviceContext(c);
  try {
    if (roleId) updateCustomRole(ctx, roleId, parsed.data);
    else createCustomRole(ctx, parsed.data);
  } catch (error) {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
      throw error;
    }
    const errors: Record<string, string> =
      error.code === "forbidden"
        ? { permissions: error.message }
        : { name: error.details[0]?.message ?? error.message };
    return renderUsersPage(c, roleFormFailure(roleId, values, errors), error.status as ContentfulStatusCode);
  }
  const text = roleId ? `Role “${parsed.data.name}” saved.` : `Role “${parsed.data.name}” created.`;
  return renderUsersPage(c, { flash: { kind: "notice", text } });
}

/** Settings → Users and roles, the custom roles part. */
export const rolesConsole = new Hono<AppEnv>()
  .post("/", requirePermission("roles.manage"), (c) => saveRole(c, null))
  .post("/:id", requirePermission("roles.manage"), (c) => {
    customRoleOrNotFound(serviceContext(c), c.req.param("id"));
    return saveRole(c, c.req.param("id"));
  })
  .post("/:id/delete", requirePermission("roles.manage"), (c) =>
    changeAndRender(c, () => {
      deleteCustomRole(serviceContext(c), c.req.param("id"));
      return "Role deleted.";
    }),
  );
