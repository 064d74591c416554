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
  boxWide: boolean;
};

export type OutboxPageProps = { switcher: OrganizationSwitcherProps; messages: OutboxMessage[]; showsBoxWide: boolean };

/** The draft log: every e-mail Opsbox wrote while no e-mail provider is configured. */
export function OutboxPage(props: OutboxPageProps) {
  return (
    <SettingsFrame current="/settings/outbox" switcher={props.switcher}>
      <h1>Outbox</h1>
      <p>
        No e-mail provider is configured yet, so messages wait here instead of being sent. Pass invitation links on
        yourself, or configure e-mail delivery.
        {props.showsBoxWide
          ? " As the box's instance admin you also see password resets, which belong to no organisation."
          : " Password resets are shown to the box's instance admin only."}
      </p>
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
