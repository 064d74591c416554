/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type ChoiceRow, ChoicesTable } from "../../partials/notifications/choices-table.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type NotificationDefaultsProps = {
  rows: ChoiceRow[];
  csrf: string | null;
  notice?: string | null;
  error?: string | null;
};

/** Settings → Notifications: the organisation's defaults. */
export function NotificationDefaultsPage(props: NotificationDefaultsProps & { switcher: OrganizationSwitcherProps }) {
  return (
    <SettingsFrame current="/settings/notifications" switcher={props.switcher}>
      <div id="notification-defaults">
        <h1>Notifications</h1>
        <p>
          What people are told about until they choose for themselves on their account page. Nobody is told about what
          they did themselves or about records they may not see; invoices reach only the people who manage them.
        </p>
        <FormMessage error={props.error} notice={props.notice} />
        <form method="post" action="/settings/notifications" hx-post="/settings/notifications" hx-target="#main">
          <CsrfField token={props.csrf} />
          <ChoicesTable rows={props.rows} caption="The organisation's notification defaults" />
          <button type="submit">Save the defaults</button>
        </form>
      </div>
    </SettingsFrame>
  );
}
