/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { MarkAllReadForm } from "../../partials/notifications/bell.tsx";

export type NotificationRow = {
  id: string;
  title: string;
  at: string;
  read: boolean;
  kindLabel: string;
  /** Its e-mail failed for good, bounced, or was suppressed or cancelled in the outbox. */
  emailNotDelivered: boolean;
};

export type NotificationListProps = {
  rows: NotificationRow[];
  unread: number;
  onlyUnread: boolean;
  /** The next (older) page, when there is one. */
  olderHref: string | null;
  csrf: string | null;
};

/** /notifications: the person's notifications, newest first; works as plain links and forms. */
export function NotificationListPage(props: NotificationListProps) {
  return (
    <div id="notification-list-page">
      <header class="page-header">
        <h1>Notifications</h1>
        <p>
          {props.unread === 0 ? "Nothing unread." : `${props.unread} unread.`}{" "}
          {props.onlyUnread ? (
            <a href="/notifications">Show all</a>
          ) : (
            <a href="/notifications?unread=true">Only unread</a>
          )}{" "}
          · <a href="/account/notifications">Choose what you are told about</a>
        </p>
        <MarkAllReadForm unread={props.unread} csrf={props.csrf} buttonClass="secondary" />
      </header>
      {props.rows.length === 0 ? (
        <p class="muted">No notifications{props.onlyUnread ? " unread" : ""}.</p>
      ) : (
        <ul class="notification-list">
          {props.rows.map((row) => (
            <li class={row.read ? "notification-row" : "notification-row unread"} id={`notification-${row.id}`}>
              <form method="post" action={`/notifications/${row.id}/open`}>
                <CsrfField token={props.csrf} />
                <button type="submit" class="notification-link-button">
                  {row.read ? null : <span class="visually-hidden">Unread: </span>}
                  {row.title}
                </button>
              </form>
              <small class="muted">
                {row.kindLabel} · {row.at} UTC{row.emailNotDelivered ? " · e-mail not delivered" : ""}
              </small>
              {row.read ? null : (
                <form method="post" action={`/notifications/${row.id}/read`}>
                  <CsrfField token={props.csrf} />
                  <button type="submit" class="secondary outline notification-mark">
                    Mark read
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      {props.olderHref ? (
        <p>
          <a href={props.olderHref}>Older notifications</a>
        </p>
      ) : null}
    </div>
  );
}
