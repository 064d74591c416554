/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { UsersSettingsProps } from "./users-types.ts";

/** Invite someone by e-mail with a role; a failed attempt comes back with what was typed. */
export function InviteSection(props: UsersSettingsProps) {
  const { values, errors } = props.invite;
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite a person</h2>
      <form
        id="invite-form"
        method="post"
        action="/settings/users/invite"
        hx-post="/settings/users/invite"
        hx-target="#users-settings"
        hx-swap="outerHTML"
        novalidate
      >
        <FormMessage error={errors.form} />
        <CsrfField token={props.csrf} />
        <div class="grid">
          <Field label="E-mail address" name="email" type="email" value={values.email} error={errors.email} />
          <Field label="Name" name="name" type="text" value={values.name} error={errors.name} />
          <label>
            Role
            <select
              name="role"
              aria-invalid={errors.role ? "true" : undefined}
              aria-describedby={errors.role ? "invite-role-error" : undefined}
            >
              {props.roles.map((role) => (
                <option value={role.id} selected={role.id === values.role}>
                  {role.label}
                </option>
              ))}
            </select>
            {errors.role ? <small id="invite-role-error">{errors.role}</small> : null}
          </label>
        </div>
        <button type="submit">Send invitation</button>
      </form>
    </section>
  );
}

function Field(props: {
  label: string;
  name: string;
  type: "email" | "text";
  value: string;
  error?: string | undefined;
}) {
  const helpId = `invite-${props.name}-error`;
  return (
    <label>
      {props.label}
      <input
        type={props.type}
        name={props.name}
        value={props.value}
        required
        maxlength={props.type === "email" ? 254 : 120}
        autocomplete="off"
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? helpId : undefined}
      />
      {props.error ? <small id={helpId}>{props.error}</small> : null}
    </label>
  );
}
