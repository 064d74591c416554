/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";

export type BellItem = { id: string; title: string; at: string; read: boolean };

export type NotificationBellProps = {
  unread: number;
  /** The newest few, read or not. */
  latest: BellItem[];
  /** The live count's stream, for people who may open it. */
  streamUrl: string | null;
  csrf: string | null;
};

/** "3 unread notifications": the bell's accessible name. */
export function bellLabel(unread: number): string {
  return unread === 0 ? "Notifications" : `Notifications, ${unread} unread`;
}

/**
 * The bell in the header: its unread count, opening to the newest notifications (a <details>
 * dropdown: no script). Each opens its record through a form that marks it read first; without
 * JavaScript every part works, and the live stream only keeps the count and list fresh.
 */
export function NotificationBell(props: NotificationBellProps) {
  return (
    <>
      {/* Outside the dropdown, so a closed <details> never hides it from htmx. */}
      {props.streamUrl ? <div id="notification-live" hx-sse:connect={props.streamUrl} hidden /> : null}
      <details class="dropdown notification-bell" id="notification-bell">
        <summary id="notification-bell-summary" aria-label={bellLabel(props.unread)} title="Notifications">
          <BellSummary unread={props.unread} />
        </summary>
        <ul id="notification-bell-list">
          <BellList {...props} />
        </ul>
      </details>
    </>
  );
}

/** The icon and its badge: what the live stream swaps when the count changes. */
export function BellSummary(props: { unread: number }) {
  return (
    <>
      <svg
        aria-hidden="true"
        width="20"
        height="20"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        stroke-width="2"
      >
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {props.unread > 0 ? (
        <span class="notification-bell-badge" aria-hidden="true">
          {props.unread > 99 ? "99+" : props.unread}
        </span>
      ) : null}
    </>
  );
}

/** The dropdown's rows. */
export function BellList(props: Pick<NotificationBellProps, "latest" | "unread" | "csrf">) {
  return (
    <>
      <li class="notification-bell-head">
        <strong>Notifications</strong>
        <MarkAllReadForm unread={props.unread} csrf={props.csrf} buttonClass="notification-link-button" />
      </li>
      {props.latest.length === 0 ? <li class="muted">Nothing yet.</li> : null}
      {props.latest.map((item) => (
        <li class={item.read ? "notification-bell-item" : "notification-bell-item unread"}>
          <form method="post" action={`/notifications/${item.id}/open`}>
            <CsrfField token={props.csrf} />
            <button type="submit" class="notification-link-button">
              {item.read ? null : <span class="visually-hidden">Unread: </span>}
              {item.title}
              <br />
              <small class="muted">{item.at} UTC</small>
            </button>
          </form>
        </li>
      ))}
      <li>
        <a href="/notifications">See all notifications</a>
      </li>
    </>
  );
}

/** "Mark all read", a plain form (nothing while nothing is unread): the bell's and the list page's. */
export function MarkAllReadForm(props: { unread: number; csrf: string | null; buttonClass: string }) {
  if (props.unread === 0) return null;
  return (
    <form method="post" action="/notifications/read-all">
      <CsrfField token={props.csrf} />
      <button type="submit" class={props.buttonClass}>
        Mark all read
      </button>
    </form>
  );
}
