import type { Child } from "hono/jsx";
import { assets } from "./assets.ts";
import { Nav } from "./components/nav.tsx";

export type LayoutProps = {
  title: string;
  children: Child;
  /** Path of the current page, to mark it in the navigation. */
  current?: string;
  /** Pages shown before sign-in (setup, errors) have no navigation. */
  bare?: boolean;
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
      </head>
      <body>
        <header class="app-header">
          <a href="/" class="brand">
            <img src={assets.icon} alt="" width="24" height="24" />
            <span>Opsbox</span>
          </a>
          {props.bare ? null : <Nav current={props.current} />}
        </header>
        <main id="main" class="container">
          {props.children}
        </main>
      </body>
    </html>
  );
}
