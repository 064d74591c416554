/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage, RevokeApiKeysField } from "./form-parts.tsx";

export type SessionRow = {
  userAgent: string | null;
  ipAddress: string | null;
  lastSeenAt: Date;
  createdAt: Date;
  current: boolean;
};

const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export function formatDate(date: Date): string {
  return `${dateFormat.format(date)} UTC`;
}

const browsers: [RegExp, string][] = [
  [/Edg\//, "Edge"],
  [/Firefox\//, "Firefox"],
  [/Chrom(e|ium)\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/^curl\//, "curl"],
];
const systems: [RegExp, string][] = [
  [/Android/, "Android"],
  [/iPhone|iPad/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

/** "Firefox on Linux" from a user agent; the raw string stays in the title. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1] ?? "A browser";
  const system = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  return system ? `${browser} on ${system}` : browser;
}

/** My sessions, the current one marked, with "sign out everywhere else". */
export function AccountSessions(props: { sessions: SessionRow[]; csrf: string | null; notice?: string | null }) {
  const others = props.sessions.filter((session) => !session.current).length;
  return (
    <section id="sessions" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Where you are signed in</h2>
      <FormMessage notice={props.notice} />
      <div class="overflow-auto">
        <table class="striped">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Last seen</th>
              <th scope="col">Signed in</th>
            </tr>
          </thead>
          <tbody>
            {props.sessions.map((session) => (
              <tr class={session.current ? "session-current" : undefined}>
                <td title={session.userAgent ?? undefined}>
                  {describeDevice(session.userAgent)}
                  {session.current ? <mark class="session-badge">This device</mark> : null}
                </td>
                <td>{session.ipAddress ?? "unknown"}</td>
                <td>{formatDate(session.lastSeenAt)}</td>
                <td>{formatDate(session.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        method="post"
        action="/account/sessions/sign-out-others"
        hx-post="/account/sessions/sign-out-others"
        hx-target="#main"
        hx-swap="innerHTML"
      >
        <CsrfField token={props.csrf} />
        <RevokeApiKeysField checked={true} id="sessions-revoke-keys-help" />
        <button type="submit" class="secondary" disabled={others === 0}>
          Sign out everywhere else
        </button>
      </form>
    </section>
  );
}
