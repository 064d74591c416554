/** @jsxImportSource hono/jsx */
import { MailLayout, mailStyles, mailText } from "./layout.tsx";

export type BroadcastMailProps = {
  organization: string;
  subject: string;
  /** "Mia Manager to the Kitchen team". */
  from: string;
  /** The Markdown body as safe HTML (server/tools/markdown.ts). */
  bodyHtml: string;
  /** The Markdown body as typed: it reads well as plain text. */
  bodyText: string;
  /** The broadcast's page in the console (absolute). */
  url: string;
  /** Where the person switches these e-mails off (absolute). */
  preferencesUrl: string;
  logoCid?: string | null;
};

const bodyStyle = "margin:0 0 20px;color:#1f2328";

/** The HTML part of a broadcast: the whole message, then a link to it in the console. */
export function BroadcastMailHtml(props: BroadcastMailProps) {
  return (
    <MailLayout
      title={props.subject}
      organization={props.organization}
      logoCid={props.logoCid}
      footer={
        <>
          You get broadcasts from Opsbox for {props.organization}.{" "}
          <a class="om-link" href={props.preferencesUrl} style={mailStyles.link}>
            Choose which notifications you get
          </a>
          .
        </>
      }
    >
      <p class="om-text" style={mailStyles.title}>
        {props.subject}
      </p>
      <p class="om-muted" style={mailStyles.context}>
        From {props.from}
      </p>
      <div class="om-text" style={bodyStyle} dangerouslySetInnerHTML={{ __html: props.bodyHtml }} />
      <a href={props.url} style={mailStyles.button}>
        Open it in Opsbox
      </a>
    </MailLayout>
  );
}

/** The plain-text part: the same words and links. */
export function broadcastMailText(props: BroadcastMailProps): string {
  return mailText(
    props.organization,
    [`${props.subject}\nFrom ${props.from}`, props.bodyText.trim(), `Open it in Opsbox: ${props.url}`],
    [
      `You get broadcasts from Opsbox for ${props.organization}.`,
      `Choose which notifications you get: ${props.preferencesUrl}`,
    ],
  );
}
