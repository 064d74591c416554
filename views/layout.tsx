/** @jsxImportSource hono/jsx */
import { html } from "hono/html";
import type { Child } from "hono/jsx";
import { assets } from "./assets.ts";
import { Nav, navItems } from "./components/nav.tsx";
import { NotificationBell, type NotificationBellProps } from "./partials/notifications/bell.tsx";
import { HeaderSearch } from "./partials/work/search/header-search.tsx";
import { renderedOnce } from "./rendered-once.ts";

export type LayoutProps = {
  title: string;
  children: Child;
  /** Path of the current page, to mark it in the navigation. */
  current?: string;
  /** Extra scripts this page needs (from `assets`), loaded after htmx. */
  scripts?: string[];
  /** Pages shown before sign-in (setup, errors) have no navigation. */
  bare?: boolean;
  /** The signed-in person, for the account menu; `csrf` is the plain-form token of their session. */
  user?: {
    name: string;
    email: string;
    csrf?: string | null;
    /** Every organisation the person belongs to; with more than one, the menu offers a switch. */
    organizations?: { id: string; name: string }[];
    currentOrganizationId?: string | null;
    /** Whether any Settings section is open to this person. */
    showSettings?: boolean;
    /** Whether the person may send broadcasts (the account menu leads there: the navigation has no room left). */
    showBroadcasts?: boolean;
    /** Organisations that invite the person and wait for their answer. */
    invitations?: number;
    /** The notification bell: the unread count and the newest few (absent outside an organisation). */
    notifications?: NotificationBellProps | null;
    /** For the instance admin while the self-check finds something wrong: what, and since when (UTC). */
    healthAlert?: { problems: string[]; since: string } | null;
  };
};

/**
 * The full HTML document: only for full page loads; htmx requests get the main content alone.
 * The parts that depend only on the page's section (head, brand, navigation, search box) are
 * rendered once and reused (rendered-once.ts): they are most of the elements of every page.
 */
export function Layout(props: LayoutProps) {
  const signedIn = props.user !== undefined && !props.bare;
  const showSettings = props.user?.showSettings ?? false;
  const current = navItems.some((item) => item.href === props.current) ? props.current : undefined;
  return (
    <html lang="en">
      <head>
        {renderedOnce("layout.meta", () => (
          <>
            <meta charset="utf-8" />
            <meta name="viewport" content="width=device-width, initial-scale=1" />
            <meta name="color-scheme" content="light dark" />
            <meta name="htmx-config" content='{"includeIndicatorCSS": true}' />
          </>
        ))}
        <title>{`${props.title} · Opsbox`}</title>
        {renderedOnce(`layout.assets:${signedIn}`, () => (
          <>
            <link rel="icon" href={assets.icon} type="image/svg+xml" />
            <link rel="stylesheet" href={assets.pico} />
            <link rel="stylesheet" href={assets.css} />
            {/* htmx without defer: run while the page is still parsing, it initialises on
                DOMContentLoaded, after every deferred script. Deferred, it initialises on a timer
                that may fire before the SSE extension's script has arrived, and then the page's
                live stream never opens (htmx issue 3693). */}
            <script src={assets.htmx} />
            <script src={assets.sse} defer />
            {signedIn ? <script src={assets.search} defer /> : null}
          </>
        ))}
        {props.scripts?.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <header class="app-header">
          {renderedOnce(`layout.top:${props.bare ?? false}:${current}:${showSettings}:${signedIn}`, () => (
            <>
              <a href="/" class="brand">
                <img src={assets.icon} alt="" width="24" height="24" />
                <span>Opsbox</span>
              </a>
              {props.bare ? null : <Nav current={current} showSettings={showSettings} />}
              {signedIn ? <HeaderSearch /> : null}
            </>
          ))}
          {props.user?.notifications && !props.bare ? <NotificationBell {...props.user.notifications} /> : null}
          {props.user ? <AccountMenu user={props.user} /> : null}
        </header>
        {props.user?.healthAlert ? <HealthAlertBanner alert={props.user.healthAlert} /> : null}
        <main id="main" class="container">
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The self-check's one alert, on every page of the instance admin until it is resolved. */
function HealthAlertBanner(props: { alert: { problems: string[]; since: string } }) {
  return (
    <div class="container health-alert" role="alert">
      <strong>Opsbox needs attention:</strong> {props.alert.problems.join(", ")} (since {props.alert.since} UTC).{" "}
      <a href="/settings/monitoring">See Monitoring</a>
    </div>
  );
}

/**
 * The person's initials, opening to their name, profile and sign-out (a <details> dropdown: no
 * script). A template (values escaped by hono's html), not JSX: it is on every page and only
 * its values change.
 */
function AccountMenu(props: { user: NonNullable<LayoutProps["user"]> }) {
  const { user } = props;
  const csrf = user.csrf ? html`<input type="hidden" name="_csrf" value="${user.csrf}"/>` : null;
  const organizations = (user.organizations?.length ?? 0) > 1 ? organizationItems(user, csrf) : null;
  const waiting = user.invitations ?? 0;
  const label =
    waiting > 0
      ? `Account: ${user.name}, ${waiting} invitation${waiting === 1 ? "" : "s"} waiting`
      : `Account: ${user.name}`;
  const broadcasts = user.showBroadcasts ? html`<li><a href="/broadcasts">Broadcasts</a></li>` : null;
  const badge = waiting > 0 ? html`<span class="account-menu-badge" aria-hidden="true">${waiting}</span>` : null;
  const invitations =
    waiting > 0
      ? html`<li><a href="/account#invitations">${waiting === 1 ? "1 invitation" : `${waiting} invitations`} to answer</a></li>`
      : null;
  return html`<details class="dropdown account-menu"><summary aria-label="${label}" title="${user.name}">${initialsOf(user.name)}${badge}</summary><ul><li class="account-menu-who"><strong>${user.name}</strong><br/><small>${user.email}</small></li>${invitations}<li><a href="/account">Profile</a></li>${broadcasts}${organizations}<li><form method="post" action="/sign-out" hx-post="/sign-out">${csrf}<button type="submit" class="account-menu-sign-out">Sign out</button></form></li></ul></details>`;
}

/** One button per organisation; the current one is marked and cannot be chosen again. */
function organizationItems(user: NonNullable<LayoutProps["user"]>, csrf: ReturnType<typeof html> | null) {
  const items = (user.organizations ?? []).map((org) =>
    org.id === user.currentOrganizationId
      ? html`<li><span class="account-menu-current" aria-current="true">✓ ${org.name}</span></li>`
      : html`<li><form method="post" action="/organizations/switch" hx-post="/organizations/switch">${csrf}<input type="hidden" name="organizationId" value="${org.id}"/><button type="submit" class="account-menu-sign-out">${org.name}</button></form></li>`,
  );
  return html`<li class="account-menu-heading"><small>Organisation</small></li>${items}`;
}

function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]];
  return (
    letters
      .map((word) => [...(word ?? "")][0] ?? "")
      .join("")
      .toUpperCase() || "?"
  );
}
