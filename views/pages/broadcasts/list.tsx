/** @jsxImportSource hono/jsx */
export type BroadcastListRow = {
  id: string;
  subject: string;
  audience: string;
  senderName: string;
  sentAt: string;
  delivering: boolean;
  recipients: number;
  read: number;
  emailed: number;
  /** Failed, bounced or suppressed. */
  undelivered: number;
};

export type BroadcastsListProps = { rows: BroadcastListRow[]; moreHref: string | null };

/** /broadcasts: past broadcasts, newest first, with how far each got. */
export function BroadcastsListPage(props: BroadcastsListProps) {
  return (
    <article class="work-page" id="broadcasts-list">
      <header class="work-header">
        <div>
          <h1>Broadcasts</h1>
        </div>
        <div class="work-actions">
          <a class="link-button" href="/broadcasts/new">
            New broadcast
          </a>
        </div>
      </header>
      <p>
        A message to a team, everyone with a role, or the whole organisation: in each person's console and by e-mail.
      </p>
      {props.rows.length === 0 ? (
        <p class="empty-state">
          No broadcasts yet. <a href="/broadcasts/new">Write the first one</a>.
        </p>
      ) : (
        <div class="overflow-auto">
          <table class="work-table">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">To</th>
                <th scope="col">From</th>
                <th scope="col">Sent (UTC)</th>
                <th scope="col">Recipients</th>
                <th scope="col">E-mailed</th>
                <th scope="col">Not delivered</th>
                <th scope="col">Read</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr id={`broadcast-${row.id}`}>
                  <td>
                    <a href={`/broadcasts/${row.id}`}>{row.subject}</a>
                    {row.delivering ? <small class="muted"> · delivering…</small> : null}
                  </td>
                  <td>{row.audience}</td>
                  <td>{row.senderName}</td>
                  <td>{row.sentAt}</td>
                  <td>{row.recipients}</td>
                  <td>{row.emailed}</td>
                  <td>{row.undelivered}</td>
                  <td>{row.read}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>Older broadcasts</a>
        </p>
      ) : null}
    </article>
  );
}
