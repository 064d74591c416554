/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormContext, type FormSpec, validateForm } from "../../http/validate-form.ts";
import type { UsersPageState } from "../people/console-props.ts";
import { customRoleInput } from "../people/people-schemas.ts";
import { changeAndRender, renderUsersPage } from "../people/users-console-view.tsx";
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

/** A role form: validation and name clashes stay on the form, 404 goes to the error page. */
const roleForm: FormSpec<RoleFormValues> = {
  values: (form) => ({ name: form.text("name"), permissions: form.list("permissions") }),
  invalid: (c, values, { errors, status }) =>
    renderUsersPage(c, roleFormFailure(c.req.param("id") ?? null, values, errors), status),
  refusal: (error) => {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
      throw error;
    }
    const errors: Record<string, string> =
      error.code === "forbidden"
        ? { permissions: error.message }
        : { name: error.details[0]?.message ?? error.message };
    return { errors, status: error.status as ContentfulStatusCode };
  },
};

/** Saves the role (a new one when `roleId` is null) and shows the page with a notice. */
function saveRole(c: FormContext<typeof customRoleInput, RoleFormValues>, roleId: string | null) {
  const { input, refused } = c.req.valid("form");
  const ctx = serviceContext(c);
  try {
    if (roleId) updateCustomRole(ctx, roleId, input);
    else createCustomRole(ctx, input);
  } catch (error) {
    return refused(error);
  }
  const text = roleId ? `Role “${input.name}” saved.` : `Role “${input.name}” created.`;
  return renderUsersPage(c, { flash: { kind: "notice", text } });
}

/** Settings → Users and roles, the custom roles part. */
export const rolesConsole = new Hono<AppEnv>()
  .post("/", requirePermission("roles.manage"), validateForm(customRoleInput, roleForm), (c) => saveRole(c, null))
  .post(
    "/:id",
    requirePermission("roles.manage"),
    async (c, next) => {
      customRoleOrNotFound(serviceContext(c), c.req.param("id"));
      await next();
    },
    validateForm(customRoleInput, roleForm),
    (c) => saveRole(c, c.req.param("id")),
  )
  .post("/:id/delete", requirePermission("roles.manage"), (c) =>
    changeAndRender(c, () => {
      deleteCustomRole(serviceContext(c), c.req.param("id"));
      return "Role deleted.";
    }),
  );
