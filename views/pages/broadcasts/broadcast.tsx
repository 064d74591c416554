/** @jsxImportSource hono/jsx */

/** The message itself, as every page of a broadcast shows it. */
export type BroadcastMessage = {
  subject: string;
  senderName: string;
  /** "the team Kitchen", "everyone". */
  audience: string;
  sentAt: string;
  bodyHtml: string;
};

export type RecipientRow = {
  name: string;
  email: string;
  /** "Sent", "Failed", "Switched off", … */
  emailStatus: string;
  /** `sent`, `failed`, … for the cell's class. */
  emailState: string;
  /** "Read 2025-03-14 09:30", "Unread", "Switched off". */
  console: string;
};

export type DeliveryCount = { label: string; value: number };

export type BroadcastPageProps = {
  /** The page's own path (to refresh it). */
  href: string;
  message: BroadcastMessage;
  delivering: boolean;
  counts: DeliveryCount[];
  recipients: RecipientRow[];
};

function MessageBody(props: { message: BroadcastMessage }) {
  const { message } = props;
  return (
    <>
      <dl class="work-facts">
        <div>
          <dt>From</dt>
          <dd>{message.senderName}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{message.audience}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{message.sentAt} UTC</dd>
        </div>
      </dl>
      <div class="broadcast-message markdown" dangerouslySetInnerHTML={{ __html: message.bodyHtml }} />
    </>
  );
}

/** /broadcasts/{id} for people who send broadcasts: the message, the counts, and every recipient's delivery. */
export function BroadcastPage(props: BroadcastPageProps) {
  return (
    <article class="work-page" id="broadcast-page">
      <header>
        <p class="work-breadcrumbs">
          <a href="/broadcasts">Broadcasts</a>
        </p>
        <h1>{props.message.subject}</h1>
      </header>
      <MessageBody message={props.message} />
      <h2>Delivery</h2>
      {props.delivering ? (
        <p class="form-message form-message-notice" role="status">
          Still being delivered in the background: <a href={props.href}>refresh</a> to see everyone.
        </p>
      ) : null}
      <dl class="work-facts broadcast-counts" id="broadcast-counts">
        {props.counts.map((item) => (
          <div>
            <dt>{item.label}</dt>
            <dd>{item.value}</dd>
          </div>
        ))}
      </dl>
      {props.recipients.length === 0 ? (
        <p class="empty-state">Nobody yet.</p>
      ) : (
        <div class="overflow-auto">
          <table class="work-table broadcast-recipients" id="broadcast-recipients">
            <thead>
              <tr>
                <th scope="col">Recipient</th>
                <th scope="col">E-mail</th>
                <th scope="col">Console</th>
              </tr>
            </thead>
            <tbody>
              {props.recipients.map((row) => (
                <tr>
                  <td>
                    {row.name}
                    <br />
                    <small class="muted">{row.email}</small>
                  </td>
                  <td class={`delivery-${row.emailState}`}>{row.emailStatus}</td>
                  <td>{row.console}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/** /broadcasts/{id} for a recipient: the message only. */
export function ReceivedBroadcastPage(props: { message: BroadcastMessage }) {
  return (
    <article class="work-page" id="broadcast-page">
      <header>
        <p class="work-breadcrumbs">
          <a href="/notifications">Notifications</a>
        </p>
        <h1>{props.message.subject}</h1>
      </header>
      <MessageBody message={props.message} />
    </article>
  );
}
