/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { TimeZoneField } from "../../components/time-zone-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";
import type { Flash } from "./users-types.ts";

export type OrganizationSettingsProps = {
  /** The stored zone, or what was typed when it was refused. */
  timeZone: string;
  zones: string[];
  errors: Record<string, string>;
  flash: Flash | null;
  csrf: string | null;
};

/** Settings → Organisation, the whole page. */
export function OrganizationSettingsPage(props: OrganizationSettingsProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/organization" switcher={props.switcher}>
      <OrganizationSettingsForm {...props} />
    </SettingsFrame>
  );
}

/** The organisation's general settings (the part htmx swaps). */
export function OrganizationSettingsForm(props: OrganizationSettingsProps) {
  return (
    <div id="organization-settings">
      <header>
        <h1>Organisation</h1>
        <p>Settings that belong to the organisation as a whole.</p>
      </header>
      <FormMessage
        error={props.errors.form ?? null}
        notice={props.flash?.kind === "notice" ? props.flash.text : null}
      />
      <form
        method="post"
        action="/settings/organization"
        hx-post="/settings/organization"
        hx-target="#organization-settings"
        hx-swap="outerHTML"
      >
        <CsrfField token={props.csrf} />
        <TimeZoneField
          value={props.timeZone}
          error={props.errors.timeZone}
          zones={props.zones}
          hint="Where the organisation works, such as Europe/Berlin. The daily digest, the timesheet drafter and scheduled reports act at their local hour in it; dates elsewhere stay UTC days."
        />
        <button type="submit">Save</button>
      </form>
    </div>
  );
}
