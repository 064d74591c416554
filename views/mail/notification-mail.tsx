/** @jsxImportSource hono/jsx */
import type { NotificationKind } from "../../models/notifications.ts";
import type { ReplySubjectKind } from "../../server/tools/reply-token.ts";
import { MailLayout, mailHtml, mailStyles, mailText, type RenderedMail } from "./layout.tsx";

/** One notification as an e-mail shows it; `url` is absolute. */
export type MailItem = { kind: NotificationKind; title: string; url: string; at: string };

export type NotificationMailProps = {
  organization: string;
  items: MailItem[];
  /** Where the person switches these e-mails off (absolute). */
  preferencesUrl: string;
  /** The message carries a reply address: a reply becomes the person's comment on this task or request. */
  replyAdds?: ReplySubjectKind | null;
  logoCid?: string | null;
};

const REPLY_NOTES: Record<ReplySubjectKind, string> = {
  task: "Reply to this e-mail to add a comment to the task.",
  approval: "Reply to this e-mail to add a comment to the request.",
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
  approval_comment: {
    subject: (item) => item.title,
    action: "Read the comment",
    context: "Someone wrote on a request of yours, or one that waits on you.",
  },
  invoice_status: { subject: (item) => item.title, action: "Open the invoice", context: "An invoice moved on." },
  timesheet_decided: {
    subject: (item) => item.title,
    action: "Open the week",
    context: "Your timesheet has an answer.",
  },
  // Broadcasts are mailed whole by their own template (broadcast-mail.tsx), never in a digest.
  broadcast: { subject: (item) => item.title, action: "Read the broadcast", context: "A message to many of you." },
  agents: {
    subject: (item) => item.title,
    action: "Have a look",
    context: "One of the organisation's agents noticed something that needs you.",
  },
  // The digest is mailed whole by its own template (digest-mail.tsx); this serves only a batch.
  daily_digest: { subject: (item) => item.title, action: "Open my digest", context: "Your day in Opsbox." },
  timesheet_draft: {
    subject: (item) => item.title,
    action: "Review the draft",
    context: "Suggested entries from your week's work; nothing is logged until you add them.",
  },
};

/** The subject: the one item's own, or how many there are. */
export function notificationMailSubject(props: NotificationMailProps): string {
  const [only] = props.items;
  if (props.items.length === 1 && only) return `${kindTemplates[only.kind].subject(only)} · ${props.organization}`;
  return `${props.items.length} updates in ${props.organization}`;
}

/** The HTML part. */
export function NotificationMailHtml(props: NotificationMailProps) {
  return (
    <MailLayout
      organization={props.organization}
      title={notificationMailSubject(props)}
      logoCid={props.logoCid}
      footer={
        <>
          {props.replyAdds ? `${REPLY_NOTES[props.replyAdds]} ` : ""}You get these e-mails from Opsbox for{" "}
          {props.organization}.{" "}
          <a class="om-link" href={props.preferencesUrl} style={mailStyles.link}>
            Choose which notifications you get
          </a>
          .
        </>
      }
    >
      {props.items.map((item) => (
        <div class="om-item" style={mailStyles.item}>
          <p class="om-text" style={mailStyles.title}>
            {item.title}
          </p>
          <p class="om-muted" style={mailStyles.context}>
            {kindTemplates[item.kind].context} {item.at} UTC
          </p>
          <a href={item.url} style={mailStyles.button}>
            {kindTemplates[item.kind].action}
          </a>
        </div>
      ))}
    </MailLayout>
  );
}

/** The plain-text part: the same words and links. */
export function notificationMailText(props: NotificationMailProps): string {
  const items = props.items.map(
    (item) =>
      `${item.title}\n${kindTemplates[item.kind].context} ${item.at} UTC\n${kindTemplates[item.kind].action}: ${item.url}`,
  );
  return mailText(props.organization, items, [
    ...(props.replyAdds ? [REPLY_NOTES[props.replyAdds]] : []),
    `You get these e-mails from Opsbox for ${props.organization}.`,
    `Choose which notifications you get: ${props.preferencesUrl}`,
  ]);
}

/** The e-mail of one batch: the kind's template for one notification, a digest of them for several. */
export function notificationMail(props: NotificationMailProps): RenderedMail {
  return {
    subject: notificationMailSubject(props),
    text: notificationMailText(props),
    html: mailHtml(<NotificationMailHtml {...props} />),
  };
}
