/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type ChoiceRow, ChoicesTable } from "../../partials/notifications/choices-table.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type PreferencesPageProps = {
  organization: string;
  rows: ChoiceRow[];
  /** The person chose for themselves; otherwise the organisation's defaults apply. */
  personal: boolean;
  csrf: string | null;
  notice?: string | null;
  error?: string | null;
};

/** /account/notifications: what the person is told about, per channel, in their current organisation. */
export function NotificationPreferencesPage(props: PreferencesPageProps) {
  return (
    <div class="account-page" id="notification-preferences">
      <p>
        <a href="/account">← Your account</a>
      </p>
      <h1>Notifications</h1>
      <p>
        What you are told about in {props.organization}: in the console (the bell at the top of every page) and by
        e-mail. Several e-mails within a minute arrive together as one.{" "}
        {props.personal
          ? "These are your own choices."
          : "You follow your organisation's defaults until you save your own choices."}
      </p>
      <FormMessage error={props.error} notice={props.notice} />
      <form method="post" action="/account/notifications" hx-post="/account/notifications" hx-target="#main">
        <CsrfField token={props.csrf} />
        <ChoicesTable rows={props.rows} caption="Your notifications" />
        <div class="grid">
          <button type="submit">Save my choices</button>
          {props.personal ? (
            <button type="submit" name="useOrganizationDefaults" value="true" class="secondary">
              Use the organisation's defaults
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}
