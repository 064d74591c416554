/** @jsxImportSource hono/jsx */
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type OutboxMessage = {
  id: string;
  to: string;
  subject: string;
  template: string;
  createdAt: string;
  body: string;
  /** Its single-use links were cut out: they are for someone else. */
  linksHidden: boolean;
};

export type OutboxPageProps = {
  switcher: OrganizationSwitcherProps;
  messages: OutboxMessage[];
  /** Real e-mail delivery is configured: no single-use link is shown here at all. */
  mailDelivered: boolean;
};

/** The draft log: every e-mail Opsbox wrote while no e-mail provider is configured. */
export function OutboxPage(props: OutboxPageProps) {
  return (
    <SettingsFrame current="/settings/outbox" switcher={props.switcher}>
      <h1>Outbox</h1>
      {props.mailDelivered ? (
        <p>
          E-mail delivery is configured, so these messages go to their recipients. Links that work only once
          (invitations, password resets) are hidden here: they belong to whoever the message is for.
        </p>
      ) : (
        <p>
          No e-mail provider is configured yet, so messages wait here instead of being sent. Pass on the invitation
          links of people your organisation adds as new accounts yourself, or configure e-mail delivery. Links that work
          only once are shown only to whoever they are for: invitations to accounts that already exist elsewhere and
          password resets are hidden, and another organisation's messages are never listed.
        </p>
      )}
      {props.messages.length === 0 ? (
        <p class="muted">No messages yet. Invitations you send appear here.</p>
      ) : (
        <ul class="outbox-list">
          {props.messages.map((message) => (
            <li>
              <details>
                <summary>
                  <strong>{message.subject}</strong> to {message.to}{" "}
                  <small class="muted">
                    {message.template.replace(/_/g, " ")} · {message.createdAt} UTC
                    {message.linksHidden ? " · link hidden" : ""}
                  </small>
                </summary>
                <pre class="outbox-body">{message.body}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </SettingsFrame>
  );
}
