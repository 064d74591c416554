/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type SuppressionRow = {
  id: string;
  address: string;
  reason: string;
  source: string;
  /** The box's own entry (from password resets, health alerts), shown to the instance admin. */
  boxWide: boolean;
  detail: string | null;
  createdAt: string;
};

export type SuppressionsPageProps = {
  switcher: OrganizationSwitcherProps;
  entries: SuppressionRow[];
  csrf: string | null;
  notice: string | null;
};

const reasonWords: Record<string, string> = {
  unsubscribed: "unsubscribed (no notifications; essential mail still goes)",
  hard_bounce: "bounced for good (no mail at all)",
  complaint: "reported as spam (no mail at all)",
};

const sourceWords: Record<string, string> = {
  unsubscribe_page: "the unsubscribe page",
  one_click: "the mail client's unsubscribe button",
  resend: "Resend's webhook",
  sendgrid: "SendGrid's webhook",
  delivery_report: "a bounce report in the inbox",
};

/** Settings → Outbox → Suppression list: who gets no more mail, and why; an admin may take an address off. */
export function SuppressionsPage(props: SuppressionsPageProps) {
  return (
    <SettingsFrame current="/settings/outbox" switcher={props.switcher}>
      <h1>Suppression list</h1>
      <p>
        The outbox does not write to these addresses. Someone who unsubscribed gets no notifications but still gets
        password resets and invitations; an address that bounced for good or reported spam gets nothing. Remove an
        address only when you know it works again or its owner asked for mail again.{" "}
        <a href="/settings/outbox">Back to the outbox</a>
      </p>
      <FormMessage notice={props.notice} />
      {props.entries.length === 0 ? (
        <p class="muted">No address is suppressed.</p>
      ) : (
        <table class="suppression-list">
          <thead>
            <tr>
              <th scope="col">Address</th>
              <th scope="col">Why</th>
              <th scope="col">Since (UTC)</th>
              <th scope="col">
                <span class="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.entries.map((entry) => (
              <tr id={`suppression-${entry.id}`}>
                <td>
                  {entry.address}
                  {entry.boxWide ? <small class="muted"> (the box's own mail)</small> : null}
                </td>
                <td>
                  {reasonWords[entry.reason] ?? entry.reason}
                  <br />
                  <small class="muted">
                    from {sourceWords[entry.source] ?? entry.source}
                    {entry.detail ? `: ${entry.detail}` : ""}
                  </small>
                </td>
                <td>{entry.createdAt}</td>
                <td>
                  <form method="post" action={`/settings/outbox/suppressions/${entry.id}/remove`}>
                    <CsrfField token={props.csrf} />
                    <button type="submit" class="secondary">
                      Remove
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SettingsFrame>
  );
}
