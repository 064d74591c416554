/** @jsxImportSource hono/jsx */
import { MailButton, MailLayout, MailParagraph, mailHtml, mailText, type RenderedMail } from "./layout.tsx";

export type ReportMailProps = {
  organizationName: string;
  /** The schedule's name: "Weekly hours". */
  scheduleName: string;
  /** "Hours by project". */
  reportLabel: string;
  /** "2030-01-06 to 2030-01-12 (UTC days)", or "the last 12 weeks". */
  covers: string;
  /** "every Monday at 08:00 (Europe/Berlin)". */
  cadence: string;
  /** The attached files' names. */
  files: string[];
  /** The Reports page with the same range (absolute). */
  url: string;
  logoCid?: string | null;
};

/** A scheduled report: what it covers, the files attached, and a link to the same report in the console. */
export function reportMail(props: ReportMailProps): RenderedMail {
  const subject = `${props.scheduleName}: ${props.reportLabel}, ${props.covers}`;
  const intro = `${props.reportLabel} for ${props.covers}.`;
  const attached = `Attached: ${props.files.join(", ")}.`;
  const footer = `You get this report because an admin of ${props.organizationName} scheduled it for you (${props.cadence}). It shows only what your role lets you see.`;
  const html = (
    <MailLayout organization={props.organizationName} title={subject} logoCid={props.logoCid} footer={footer}>
      <MailParagraph>{intro}</MailParagraph>
      <MailParagraph>{attached}</MailParagraph>
      <MailButton href={props.url}>Open the report</MailButton>
    </MailLayout>
  );
  return {
    subject,
    text: mailText(props.organizationName, [intro, attached, `Open the report: ${props.url}`], [footer]),
    html: mailHtml(html),
  };
}
