/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

// Inline styles (mail clients drop <style> often); colours readable on light and on dark.
export const mailStyles = {
  body: "margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2328;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5",
  card: "max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px",
  org: "margin:0 0 16px;font-size:13px;color:#57606a;text-transform:uppercase;letter-spacing:0.04em",
  item: "margin:0 0 20px;padding:0 0 16px;border-bottom:1px solid #d0d7de",
  title: "margin:0 0 4px;font-size:16px;font-weight:600;color:#1f2328",
  context: "margin:0 0 12px;color:#57606a;font-size:14px",
  button:
    "display:inline-block;padding:8px 14px;background:#0a66c2;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600",
  footer: "margin:16px 0 0;font-size:12px;color:#57606a",
  link: "color:#0a66c2",
};

// Dark mode: clients that honour prefers-color-scheme get dark surfaces; the rest keep the light inline ones.
const mailDarkMode = `:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){.nm-body{background:#0d1117!important;color:#e6edf3!important}
.nm-card{background:#161b22!important;border-color:#30363d!important}.nm-title{color:#e6edf3!important}
.nm-muted{color:#9da7b3!important}.nm-item{border-color:#30363d!important}.nm-link{color:#58a6ff!important}}`;

/** Every e-mail's HTML document: light and dark, the organisation's name above the card's content. */
export function MailShell(props: { title: string; organization: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{props.title}</title>
        <style>{mailDarkMode}</style>
      </head>
      <body class="nm-body" style={mailStyles.body}>
        <div class="nm-card" style={mailStyles.card}>
          <p class="nm-muted" style={mailStyles.org}>
            {props.organization}
          </p>
          {props.children}
        </div>
      </body>
    </html>
  );
}
