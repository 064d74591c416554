/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "./form-parts.tsx";

export type OrganizationRow = { id: string; name: string; roleName: string; current: boolean };

/**
 * The organisations the person belongs to, each of which they may leave: their account is
 * theirs and lives on; the organisation keeps the work done there.
 */
export function AccountOrganizations(props: {
  organizations: OrganizationRow[];
  csrf: string | null;
  notice?: string | null | undefined;
  error?: string | null | undefined;
}) {
  if (props.organizations.length === 0 && !props.notice) return null;
  return (
    <section id="organizations" aria-labelledby="organizations-title">
      <h2 id="organizations-title">Your organisations</h2>
      <FormMessage error={props.error} notice={props.notice} />
      <ul class="membership-list">
        {props.organizations.map((organization) => (
          <li>
            <strong>{organization.name}</strong> as {organization.roleName}
            {organization.current ? <small class="muted"> · where you are working now</small> : null}
            <form
              method="post"
              action={`/account/organizations/${organization.id}/leave`}
              hx-post={`/account/organizations/${organization.id}/leave`}
              hx-target="#main"
              hx-swap="innerHTML"
              hx-confirm={`Leave ${organization.name}? Your sessions and API keys there end; the work you did there stays with ${organization.name}.`}
              class="inline-form"
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary outline compact" aria-label={`Leave ${organization.name}`}>
                Leave
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
