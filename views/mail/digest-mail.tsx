/** @jsxImportSource hono/jsx */
import { MailLayout, mailHtml, mailStyles, mailText, type RenderedMail } from "./layout.tsx";

/** One line of the digest: a record and where it is (absolute), with a word of context. */
export type DigestMailItem = { title: string; url: string; note: string };

export type DigestMailProps = {
  organization: string;
  /** The person's name as the organisation shows it. */
  name: string;
  /** The local day it is about, `YYYY-MM-DD`. */
  day: string;
  /** "2 due today, 1 approval": what is in it, for the subject and the first line. */
  summary: string;
  /** Sections with something in them, in the order they are read. */
  sections: { heading: string; items: DigestMailItem[] }[];
  /** What others changed on the person's projects since the last digest: the count and the latest lines. */
  changes: { count: number; items: DigestMailItem[] } | null;
  /** Where the person switches the digest off (absolute). */
  preferencesUrl: string;
  logoCid?: string | null;
};

export function digestMailSubject(props: Pick<DigestMailProps, "organization" | "summary">): string {
  return `Your day: ${props.summary} · ${props.organization}`;
}

function changesHeading(count: number, shown: number): string {
  const what = count === 1 ? "1 change" : `${count} changes`;
  return count > shown ? `${what} on your projects (the latest ${shown})` : `${what} on your projects`;
}

function Section(props: { heading: string; items: DigestMailItem[] }) {
  return (
    <div class="om-item" style={mailStyles.item}>
      <p class="om-text" style={mailStyles.title}>
        {props.heading}
      </p>
      {props.items.map((item) => (
        <p class="om-text" style={mailStyles.paragraph}>
          <a class="om-link" href={item.url} style={mailStyles.link}>
            {item.title}
          </a>
          {item.note ? (
            <span class="om-muted" style="color:#57606a">
              {" "}
              · {item.note}
            </span>
          ) : null}
        </p>
      ))}
    </div>
  );
}

/** The HTML part: a short greeting, then each section with a link to each item. */
export function DigestMailHtml(props: DigestMailProps) {
  return (
    <MailLayout
      organization={props.organization}
      title={digestMailSubject(props)}
      logoCid={props.logoCid}
      footer={
        <>
          Your daily digest from Opsbox for {props.organization}.{" "}
          <a class="om-link" href={props.preferencesUrl} style={mailStyles.link}>
            Switch it off in your notification settings
          </a>
          .
        </>
      }
    >
      <p class="om-text" style={mailStyles.paragraph}>
        Good morning {props.name}: {props.summary} on {props.day}.
      </p>
      {props.sections.map((section) => (
        <Section heading={section.heading} items={section.items} />
      ))}
      {props.changes ? (
        <Section
          heading={changesHeading(props.changes.count, props.changes.items.length)}
          items={props.changes.items}
        />
      ) : null}
    </MailLayout>
  );
}

/** The plain-text part: the same words and links. */
export function digestMailText(props: DigestMailProps): string {
  const block = (heading: string, items: DigestMailItem[]) =>
    [heading, ...items.map((item) => `- ${item.title}${item.note ? ` (${item.note})` : ""}: ${item.url}`)].join("\n");
  const changes = props.changes
    ? [block(changesHeading(props.changes.count, props.changes.items.length), props.changes.items)]
    : [];
  return mailText(
    props.organization,
    [
      `Good morning ${props.name}: ${props.summary} on ${props.day}.`,
      ...props.sections.map((section) => block(section.heading, section.items)),
      ...changes,
    ],
    [
      `Your daily digest from Opsbox for ${props.organization}.`,
      `Switch it off in your notification settings: ${props.preferencesUrl}`,
    ],
  );
}

/** One person's digest as an e-mail. */
export function digestMail(props: DigestMailProps): RenderedMail {
  return {
    subject: digestMailSubject(props),
    text: digestMailText(props),
    html: mailHtml(<DigestMailHtml {...props} />),
  };
}
