/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
export type OrganizationChoice = { id: string; name: string };

export type OrganizationSwitcherProps = {
  organizations: OrganizationChoice[];
  currentId: string;
  /** For plain (non-htmx) form posts. */
  csrf: string | null;
};

/** Which organisation the person works in; a small form to move to another when they belong to several. */
export function OrganizationSwitcher(props: OrganizationSwitcherProps) {
  const current = props.organizations.find((org) => org.id === props.currentId);
  if (props.organizations.length < 2) {
    return (
      <p class="org-switcher muted">
        Organisation: <strong>{current?.name ?? "—"}</strong>
      </p>
    );
  }
  return (
    <form class="org-switcher" method="post" action="/organizations/switch" hx-post="/organizations/switch">
      <CsrfField token={props.csrf} />
      <label for="organization-switch">Organisation</label>
      <select id="organization-switch" name="organizationId">
        {props.organizations.map((org) => (
          <option value={org.id} selected={org.id === props.currentId}>
            {org.name}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary outline compact">
        Switch
      </button>
    </form>
  );
}
