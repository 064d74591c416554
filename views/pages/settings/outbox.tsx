/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
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
  status: string;
  attempts: number;
  /** When a queued message is tried again (UTC), null when now or never. */
  nextAttemptAt: string | null;
  /** The provider's exact answer to the last attempt. */
  lastAnswer: string | null;
  /** The `Message-ID` header, fixed at the first attempt; null before it. */
  messageIdHeader: string | null;
  /** Files sent with it; `inline` is an image the HTML part shows (the logo). */
  attachments: { name: string; size: string; inline: boolean }[];
  canRetry: boolean;
  canCancel: boolean;
};

export type OutboxPageProps = {
  switcher: OrganizationSwitcherProps;
  messages: OutboxMessage[];
  /** Real e-mail delivery is configured: no single-use link is shown here at all. */
  mailDelivered: boolean;
  /** The status shown, "" for all. */
  status: string;
  statuses: string[];
  csrf: string | null;
  notice: string | null;
  error: string | null;
};

const statusWords: Record<string, string> = {
  logged: "draft log (not sent)",
  queued: "waiting",
  sending: "sending",
  sent: "sent",
  failed: "failed",
  bounced: "bounced",
  complained: "reported as spam",
  suppressed: "not sent (suppressed)",
  cancelled: "cancelled",
};

/** Every e-mail Opsbox wrote: sent, waiting, failed, or kept in the draft log while no provider is configured. */
export function OutboxPage(props: OutboxPageProps) {
  return (
    <SettingsFrame current="/settings/outbox" switcher={props.switcher}>
      <h1>Outbox</h1>
      {props.mailDelivered ? (
        <p>
          E-mail delivery is configured: messages are sent in the background and retried while the provider refuses them
          for now. Messages written before it was configured stay in the draft log until you retry them. Links that work
          only once (invitations, password resets) are hidden here: they belong to whoever the message is for.
        </p>
      ) : (
        <p>
          No e-mail provider is configured yet (<a href="/settings/email">Settings → E-mail</a>), so messages wait here
          in the draft log instead of being sent. Pass on the invitation links of people your organisation adds as new
          accounts yourself, or configure e-mail delivery. Links that work only once are shown only to whoever they are
          for: invitations to accounts that already exist elsewhere and password resets are hidden, and another
          organisation's messages are never listed.
        </p>
      )}
      <p>
        Addresses that unsubscribed, bounced for good or reported spam are on the{" "}
        <a href="/settings/outbox/suppressions">suppression list</a>: the outbox marks mail to them as not sent.
      </p>
      <FormMessage notice={props.notice} error={props.error} />
      <form method="get" action="/settings/outbox" class="outbox-filter">
        <label>
          Status{" "}
          <select name="status">
            <option value="" selected={props.status === ""}>
              All
            </option>
            {props.statuses.map((status) => (
              <option value={status} selected={props.status === status}>
                {statusWords[status] ?? status}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" class="secondary">
          Show
        </button>
      </form>
      {props.messages.length === 0 ? (
        <p class="muted">No messages{props.status ? " with this status" : " yet. Invitations you send appear here"}.</p>
      ) : (
        <ul class="outbox-list">
          {props.messages.map((message) => (
            <li id={`outbox-${message.id}`}>
              <details>
                <summary>
                  <strong>{message.subject}</strong> to {message.to}{" "}
                  <small class="muted">
                    {message.template.replace(/_/g, " ")} · {message.createdAt} UTC ·{" "}
                    <span class={`outbox-status outbox-status-${message.status}`}>
                      {statusWords[message.status] ?? message.status}
                    </span>
                    {message.attempts > 0 ? ` · ${message.attempts} attempt(s)` : ""}
                    {message.nextAttemptAt ? ` · next try ${message.nextAttemptAt} UTC` : ""}
                    {message.linksHidden ? " · link hidden" : ""}
                  </small>
                </summary>
                {message.lastAnswer ? (
                  <p class="outbox-answer">
                    Provider's answer: <code>{message.lastAnswer}</code>
                  </p>
                ) : null}
                <dl class="outbox-facts">
                  <dt>Message-ID</dt>
                  <dd>
                    {message.messageIdHeader ? <code>{message.messageIdHeader}</code> : "set at the first attempt"}
                  </dd>
                  <dt>Attachments</dt>
                  <dd>
                    {message.attachments.length === 0 ? (
                      "none"
                    ) : (
                      <ul class="outbox-attachments">
                        {message.attachments.map((file) => (
                          <li>
                            {file.name}{" "}
                            <small class="muted">
                              ({file.size}
                              {file.inline ? ", shown inline" : ""})
                            </small>
                          </li>
                        ))}
                      </ul>
                    )}
                  </dd>
                </dl>
                <pre class="outbox-body">{message.body}</pre>
                {message.canRetry || message.canCancel ? (
                  <form
                    method="post"
                    action={`/settings/outbox/${message.id}/${message.canRetry ? "retry" : "cancel"}`}
                  >
                    <CsrfField token={props.csrf} />
                    <button type="submit" class={message.canRetry ? undefined : "secondary"}>
                      {message.canRetry ? (message.status === "logged" ? "Send it now" : "Retry") : "Cancel"}
                    </button>
                  </form>
                ) : null}
              </details>
            </li>
          ))}
        </ul>
      )}
    </SettingsFrame>
  );
}
