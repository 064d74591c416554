/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";

/** One e-mail as a template writes it: the subject and both parts, from the same words. */
export type RenderedMail = { subject: string; text: string; html: string };

// Inline styles (mail clients often drop <style>); colours readable on light and on dark.
export const mailStyles = {
  body: "margin:0;padding:24px 12px;background:#f4f5f7;color:#1f2328;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5",
  card: "max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d0d7de;border-radius:8px;padding:24px",
  org: "margin:0 0 16px;font-size:13px;color:#57606a;text-transform:uppercase;letter-spacing:0.04em",
  paragraph: "margin:0 0 12px;color:#1f2328",
  item: "margin:0 0 20px;padding:0 0 16px;border-bottom:1px solid #d0d7de",
  title: "margin:0 0 4px;font-size:16px;font-weight:600;color:#1f2328",
  context: "margin:0 0 12px;color:#57606a;font-size:14px",
  button:
    "display:inline-block;padding:8px 14px;background:#0a66c2;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600",
  table: "border-collapse:collapse;margin:0 0 12px;font-size:14px",
  cell: "padding:2px 16px 2px 0;color:#1f2328",
  footer: "margin:16px 0 0;font-size:12px;color:#57606a",
  link: "color:#0a66c2",
};

// Dark mode: clients that honour prefers-color-scheme get dark surfaces; the rest keep the light inline ones.
const darkMode = `:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){.om-body{background:#0d1117!important;color:#e6edf3!important}
.om-card{background:#161b22!important;border-color:#30363d!important}.om-text{color:#e6edf3!important}
.om-muted{color:#9da7b3!important}.om-item{border-color:#30363d!important}.om-link{color:#58a6ff!important}}`;

type LayoutProps = {
  organization: string;
  title: string;
  children: Child;
  footer?: Child;
  /** The content id of the organisation's logo, sent inline with the message; null or absent: the name only. */
  logoCid?: string | null;
};

/** The frame of every e-mail: the organisation's name on top, the content, a small footer. */
export function MailLayout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{props.title}</title>
        <style>{darkMode}</style>
      </head>
      <body class="om-body" style={mailStyles.body}>
        <div class="om-card" style={mailStyles.card}>
          {props.logoCid ? (
            <img
              src={`cid:${props.logoCid}`}
              alt=""
              height="40"
              style="display:block;height:40px;width:auto;max-width:240px;margin:0 0 12px;border:0"
            />
          ) : null}
          <p class="om-muted" style={mailStyles.org}>
            {props.organization}
          </p>
          {props.children}
          {props.footer ? (
            <p class="om-muted" style={mailStyles.footer}>
              {props.footer}
            </p>
          ) : null}
        </div>
      </body>
    </html>
  );
}

/** A paragraph of the message. */
export function MailParagraph(props: { children: Child }) {
  return (
    <p class="om-text" style={mailStyles.paragraph}>
      {props.children}
    </p>
  );
}

/** The action of the message: a button, with the link spelled out below for clients that block buttons. */
export function MailButton(props: { href: string; children: Child }) {
  return (
    <>
      <p style="margin:16px 0 8px">
        <a href={props.href} style={mailStyles.button}>
          {props.children}
        </a>
      </p>
      <p class="om-muted" style={mailStyles.context}>
        <a class="om-link" href={props.href} style={`${mailStyles.link};word-break:break-all`}>
          {props.href}
        </a>
      </p>
    </>
  );
}

/** The HTML document of a template's element, ready for the outbox. */
export function mailHtml(element: Child): string {
  return `<!doctype html>${String(element)}`;
}

/**
 * The plain-text part: the organisation's name, the paragraphs (blank lines between), then the
 * footer after the conventional "-- " signature line.
 */
export function mailText(organization: string, paragraphs: string[], footer: string[] = []): string {
  const signature = footer.length > 0 ? ["", "-- ", ...footer] : [];
  return [organization, "", paragraphs.join("\n\n"), ...signature, ""].join("\n");
}
