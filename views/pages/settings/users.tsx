/** @jsxImportSource hono/jsx */
import { FormMessage } from "../auth/form-parts.tsx";
import { CustomRolesSection } from "./custom-roles.tsx";
import { InviteSection } from "./invite-form.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { PeopleSection } from "./people-table.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { UsersSettingsProps } from "./users-types.ts";

/** Settings → Users and roles, the whole page. */
export function UsersSettingsPage(props: UsersSettingsProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/users" switcher={props.switcher}>
      <UsersSettings {...props} />
    </SettingsFrame>
  );
}

/**
 * The page's content: every form on it posts with htmx and gets this block back, so people,
 * roles and the invite form always agree (and a failed form keeps what was typed).
 */
export function UsersSettings(props: UsersSettingsProps) {
  return (
    <div id="users-settings">
      <header>
        <h1>Users and roles</h1>
        <p>
          Who works in this organisation, with which role. Invitations are e-mailed: a new address gets a link to choose
          a password; someone who already has an account joins when they accept.
        </p>
      </header>
      {props.flash ? (
        <FormMessage
          error={props.flash.kind === "error" ? props.flash.text : null}
          notice={props.flash.kind === "notice" ? props.flash.text : null}
        />
      ) : null}
      {props.canManageUsers ? <PeopleSection {...props} /> : null}
      {props.canManageUsers ? <InviteSection {...props} /> : null}
      {props.canManageRoles ? <CustomRolesSection {...props} /> : null}
    </div>
  );
}
