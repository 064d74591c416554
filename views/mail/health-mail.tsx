/** @jsxImportSource hono/jsx */
import { MailButton, MailLayout, MailParagraph, mailHtml, mailText, type RenderedMail } from "./layout.tsx";

/** One failing check as the self-check words it. */
export type HealthLine = { label: string; message: string };

type HealthMail = { subject: string; intro: string; problems: HealthLine[]; outro: string | null; detailsUrl: string };

/** The box's own alarms, to its instance admins: box-wide, so they name the box, not an organisation. */
function healthMail(mail: HealthMail): RenderedMail {
  const html = (
    <MailLayout organization="Opsbox" title={mail.subject}>
      <MailParagraph>{mail.intro}</MailParagraph>
      <ul>
        {mail.problems.map((item) => (
          <li class="om-text">
            <strong>{item.label}</strong>: {item.message}
          </li>
        ))}
      </ul>
      {mail.outro ? <MailParagraph>{mail.outro}</MailParagraph> : null}
      <MailButton href={mail.detailsUrl}>See the details</MailButton>
    </MailLayout>
  );
  const list = mail.problems.map((item) => `- ${item.label}: ${item.message}`).join("\n");
  const paragraphs = [mail.intro, list, ...(mail.outro ? [mail.outro] : []), `Details: ${mail.detailsUrl}`];
  return { subject: mail.subject, text: mailText("Opsbox", paragraphs), html: mailHtml(html) };
}

/** What went bad, once (not one message per check). */
export function healthAlertMail(props: { since: string; problems: HealthLine[]; detailsUrl: string }): RenderedMail {
  return healthMail({
    subject: `Opsbox needs attention: ${props.problems.map((item) => item.label.toLowerCase()).join(", ")}`,
    intro: `Since ${props.since} this Opsbox reports:`,
    problems: props.problems,
    outro: "You get one message now and one when it is resolved, not one per check.",
    detailsUrl: props.detailsUrl,
  });
}

/** Everything is good again, and what was wrong. */
export function healthRecoveredMail(props: {
  at: string;
  minutes: number;
  resolved: HealthLine[];
  detailsUrl: string;
}): RenderedMail {
  return healthMail({
    subject: "Opsbox is healthy again",
    intro: `Every check passes again since ${props.at} (after about ${props.minutes} min). What was wrong:`,
    problems: props.resolved,
    outro: null,
    detailsUrl: props.detailsUrl,
  });
}
