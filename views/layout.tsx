/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import { assets } from "./assets.ts";
import { Nav } from "./components/nav.tsx";
import { HeaderSearch } from "./partials/work/search/header-search.tsx";

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
  };
};

/** The full HTML document: only for full page loads; htmx requests get the main content alone. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="htmx-config" content='{"includeIndicatorCSS": true}' />
        <title>{`${props.title} · Opsbox`}</title>
        <link rel="icon" href={assets.icon} type="image/svg+xml" />
        <link rel="stylesheet" href={assets.pico} />
        <link rel="stylesheet" href={assets.css} />
        <script src={assets.htmx} defer />
        <script src={assets.sse} defer />
        {props.user && !props.bare ? <script src={assets.search} defer /> : null}
        {props.scripts?.map((src) => (
          <script src={src} defer />
        ))}
      </head>
      <body>
        <header class="app-header">
          <a href="/" class="brand">
            <img src={assets.icon} alt="" width="24" height="24" />
            <span>Opsbox</span>
          </a>
          {props.bare ? null : <Nav current={props.current} showSettings={props.user?.showSettings ?? false} />}
          {props.user && !props.bare ? <HeaderSearch /> : null}
          {props.user ? <AccountMenu user={props.user} /> : null}
        </header>
        <main id="main" class="container">
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** The person's initials, opening to their name, profile and sign-out (a <details> dropdown: no script). */
function AccountMenu(props: { user: NonNullable<LayoutProps["user"]> }) {
  return (
    <details class="dropdown account-menu">
      <summary aria-label={`Account: ${props.user.name}`} title={props.user.name}>
        {initialsOf(props.user.name)}
      </summary>
      <ul>
        <li class="account-menu-who">
          <strong>{props.user.name}</strong>
          <br />
          <small>{props.user.email}</small>
        </li>
        <li>
          <a href="/account">Profile</a>
        </li>
        {(props.user.organizations?.length ?? 0) > 1 ? <OrganizationItems user={props.user} /> : null}
        <li>
          <form method="post" action="/sign-out" hx-post="/sign-out">
            {props.user.csrf ? <input type="hidden" name="_csrf" value={props.user.csrf} /> : null}
            <button type="submit" class="account-menu-sign-out">
              Sign out
            </button>
          </form>
        </li>
      </ul>
    </details>
  );
}

/** One button per organisation; the current one is marked and cannot be chosen again. */
function OrganizationItems(props: { user: NonNullable<LayoutProps["user"]> }) {
  return (
    <>
      <li class="account-menu-heading">
        <small>Organisation</small>
      </li>
      {(props.user.organizations ?? []).map((org) =>
        org.id === props.user.currentOrganizationId ? (
          <li>
            <span class="account-menu-current" aria-current="true">
              ✓ {org.name}
            </span>
          </li>
        ) : (
          <li>
            <form method="post" action="/organizations/switch" hx-post="/organizations/switch">
              {props.user.csrf ? <input type="hidden" name="_csrf" value={props.user.csrf} /> : null}
              <input type="hidden" name="organizationId" value={org.id} />
              <button type="submit" class="account-menu-sign-out">
                {org.name}
              </button>
            </form>
          </li>
        ),
      )}
    </>
  );
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
