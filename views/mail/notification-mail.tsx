/** @jsxImportSource hono/jsx */
import type { NotificationKind } from "../../models/notifications.ts";

/** One notification as an e-mail shows it; `url` is absolute. */
export type MailItem = { kind: NotificationKind; title: string; url: string; at: string };

export type NotificationMailProps = {
  organization: string;
  items: MailItem[];
  /** Where the person switches these e-mails off (absolute). */
  preferencesUrl: string;
};

/** One template per kind: its subject, the words of its button, and a line of context. */
type KindTemplate = { subject: (item: MailItem) => string; action: string; context: string };

export const kindTemplates: Record<NotificationKind, KindTemplate> = {
  task_assigned: { subject: (item) => item.title, action: "Open the task", context: "A task is now yours." },
  task_comment: {
    subject: (item) => item.title,
    action: "Read the comment",
    context: "Someone wrote on a task of yours, or mentioned you.",
  },
  approval_waiting: {
    subject: (item) => item.title,
    action: "Review the request",
    context: "Nothing moves until you decide.",
  },
  approval_decided: {
    subject: (item) => item.title,
    action: "See the decision",
    context: "Your request has an answer.",
  },
  invoice_status: { subject: (item) => item.title, action: "Open the invoice", context: "An invoice moved on." },
  timesheet_decided: {
    subject: (item) => item.title,
    action: "Open the week",
    context: "Your timesheet has an answer.",
  },
  agents: {
    subject: (item) => item.title,
    action: "Have a look",
    context: "One of the organisation's agents noticed something that needs you.",
  },
};

/** The subject: the one item's own, or how many there are. */
export function notificationMailSubject(props: NotificationMailProps): string {
  const [only] = props.items;
  if (props.items.length === 1 && only) return `${kindTemplates[only.kind].subject(only)} · ${props.organization}`;
  return `${props.items.length} updates in ${props.organization}`;
}

// Inline styles (mail clients drop <style> often); colours readable on light and on dark.
const styles = {
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
const darkMode = `:root{color-scheme:light dark;supported-color-schemes:light dark}
@media (prefers-color-scheme: dark){.nm-body{background:#0d1117!important;color:#e6edf3!important}
.nm-card{background:#161b22!important;border-color:#30363d!important}.nm-title{color:#e6edf3!important}
.nm-muted{color:#9da7b3!important}.nm-item{border-color:#30363d!important}.nm-link{color:#58a6ff!important}}`;

/** The HTML part. */
export function NotificationMailHtml(props: NotificationMailProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="supported-color-schemes" content="light dark" />
        <title>{notificationMailSubject(props)}</title>
        <style>{darkMode}</style>
      </head>
      <body class="nm-body" style={styles.body}>
        <div class="nm-card" style={styles.card}>
          <p class="nm-muted" style={styles.org}>
            {props.organization}
          </p>
          {props.items.map((item) => (
            <div class="nm-item" style={styles.item}>
              <p class="nm-title" style={styles.title}>
                {item.title}
              </p>
              <p class="nm-muted" style={styles.context}>
                {kindTemplates[item.kind].context} {item.at} UTC
              </p>
              <a href={item.url} style={styles.button}>
                {kindTemplates[item.kind].action}
              </a>
            </div>
          ))}
          <p class="nm-muted" style={styles.footer}>
            You get these e-mails from Opsbox for {props.organization}.{" "}
            <a class="nm-link" href={props.preferencesUrl} style={styles.link}>
              Choose which notifications you get
            </a>
            .
          </p>
        </div>
      </body>
    </html>
  );
}

/** The plain-text part: the same words and links. */
export function notificationMailText(props: NotificationMailProps): string {
  const items = props.items.map(
    (item) =>
      `${item.title}\n${kindTemplates[item.kind].context} ${item.at} UTC\n${kindTemplates[item.kind].action}: ${item.url}`,
  );
  return [
    props.organization,
    "",
    items.join("\n\n"),
    "",
    "--",
    `You get these e-mails from Opsbox for ${props.organization}.`,
    `Choose which notifications you get: ${props.preferencesUrl}`,
    "",
  ].join("\n");
}
