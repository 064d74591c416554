/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import { scopeGroups, scopeLabels } from "./api-keys-scopes.tsx";
import type { RoleFormState, RoleOption, UsersSettingsProps } from "./users-types.ts";

const swap = { "hx-target": "#users-settings", "hx-swap": "outerHTML" };

/** The organisation's own roles, built from the same permissions as the built-in ones. */
export function CustomRolesSection(props: UsersSettingsProps) {
  const custom = props.roles.filter((role) => !role.builtIn);
  return (
    <section aria-labelledby="custom-roles-heading">
      <h2 id="custom-roles-heading">Custom roles</h2>
      <p class="muted">
        Built-in roles:{" "}
        {props.roles
          .filter((role) => role.builtIn)
          .map((role) => role.label)
          .join(", ")}
        . Add a role when none of them fits; a role can hold only permissions you have yourself.
      </p>
      {custom.length === 0 ? <p class="empty-state">No custom roles yet.</p> : null}
      {custom.map((role) => {
        const failed = props.editRole?.id === role.id ? props.editRole : null;
        return (
          <details class="custom-role" open={failed ? true : undefined}>
            <summary>
              {role.label} <small class="muted">· {role.members} member(s)</small>
            </summary>
            <RoleForm
              action={`/settings/roles/${role.id}`}
              submit="Save role"
              state={failed ?? { values: { name: role.label, permissions: role.permissions }, errors: {} }}
              available={props.availablePermissions}
              csrf={props.csrf}
              idPrefix={role.id}
            />
            <DeleteRole role={role} csrf={props.csrf} />
          </details>
        );
      })}
      <h3>New role</h3>
      <RoleForm
        action="/settings/roles"
        submit="Create role"
        state={props.newRole}
        available={props.availablePermissions}
        csrf={props.csrf}
        idPrefix="new-role"
      />
    </section>
  );
}

function RoleForm(props: {
  action: string;
  submit: string;
  state: RoleFormState;
  available: readonly string[];
  csrf: string | null;
  idPrefix: string;
}) {
  const { values, errors } = props.state;
  return (
    <form class="role-editor" method="post" action={props.action} hx-post={props.action} {...swap} novalidate>
      <FormMessage error={errors.form} />
      <CsrfField token={props.csrf} />
      <label>
        Name
        <input
          name="name"
          value={values.name}
          maxlength={60}
          required
          aria-invalid={errors.name ? "true" : undefined}
          aria-describedby={errors.name ? `${props.idPrefix}-name-error` : undefined}
        />
        {errors.name ? <small id={`${props.idPrefix}-name-error`}>{errors.name}</small> : null}
      </label>
      <fieldset class="scope-picker">
        <legend>Permissions</legend>
        {scopeGroups.map((group) => {
          const offered = group.scopes.filter((scope) => props.available.includes(scope));
          if (offered.length === 0) return null;
          return (
            <fieldset class="scope-group">
              <legend>{group.label}</legend>
              {offered.map((scope) => (
                <label>
                  <input
                    type="checkbox"
                    name="permissions"
                    value={scope}
                    checked={values.permissions.includes(scope)}
                  />
                  {scopeLabels[scope]} <code>{scope}</code>
                </label>
              ))}
            </fieldset>
          );
        })}
        {errors.permissions ? <small>{errors.permissions}</small> : null}
      </fieldset>
      <button type="submit">{props.submit}</button>
    </form>
  );
}

function DeleteRole(props: { role: RoleOption; csrf: string | null }) {
  const action = `/settings/roles/${props.role.id}/delete`;
  return (
    <form method="post" action={action} hx-post={action} {...swap}>
      <CsrfField token={props.csrf} />
      <button type="submit" class="secondary outline compact" disabled={props.role.members > 0 ? true : undefined}>
        Delete role
      </button>
      {props.role.members > 0 ? <small class="muted"> Give its members another role before deleting it.</small> : null}
    </form>
  );
}
