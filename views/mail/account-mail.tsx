/** @jsxImportSource hono/jsx */
import { MailButton, MailLayout, MailParagraph, mailHtml, mailText, type RenderedMail } from "./layout.tsx";

/** The e-mails about a person's access. Their links carry a single-use token: the point of the message. */

export type InvitationMailProps = {
  organizationName: string;
  inviterName: string | null;
  roleName: string;
  /** Absolute, with its single-use token. */
  link: string;
  logoCid?: string | null;
};

/** The words of an e-mail with one link: the paragraphs before the button, the button, the ones after. */
type LinkMail = {
  organization: string;
  logoCid?: string | null;
  subject: string;
  before: string[];
  action: string;
  link: string;
  after: string[];
};

function linkMail(mail: LinkMail): RenderedMail {
  const html = (
    <MailLayout organization={mail.organization} title={mail.subject} logoCid={mail.logoCid}>
      {mail.before.map((line) => (
        <MailParagraph>{line}</MailParagraph>
      ))}
      <MailButton href={mail.link}>{mail.action}</MailButton>
      {mail.after.map((line) => (
        <MailParagraph>{line}</MailParagraph>
      ))}
    </MailLayout>
  );
  return {
    subject: mail.subject,
    // The link on a line of its own: mail clients make it clickable, and it is never wrapped.
    text: mailText(mail.organization, [...mail.before, `${mail.action}:\n${mail.link}`, ...mail.after]),
    html: mailHtml(html),
  };
}

const invitedLine = (props: InvitationMailProps) =>
  `${props.inviterName ? `${props.inviterName} invited you` : "You are invited"} to join ${props.organizationName} on Opsbox as ${props.roleName}.`;

/** To an address without an account: the link sets its password. */
export function invitationMail(props: InvitationMailProps): RenderedMail {
  return linkMail({
    organization: props.organizationName,
    logoCid: props.logoCid,
    subject: `You are invited to ${props.organizationName} on Opsbox`,
    before: [invitedLine(props), "Choose your password with the link below. It works once, for 7 days."],
    action: "Choose your password",
    link: props.link,
    after: ["If you did not expect this invitation, ignore this e-mail."],
  });
}

/** To an address that already has an account: joining is the person's choice, made signed in. */
export function membershipInvitationMail(props: InvitationMailProps): RenderedMail {
  return linkMail({
    organization: props.organizationName,
    logoCid: props.logoCid,
    subject: `You are invited to ${props.organizationName} on Opsbox`,
    before: [
      invitedLine(props),
      "You already have an Opsbox account on this box. To accept, open the link and sign in with that account (the link works once, for 7 days, and only together with your own sign-in).",
    ],
    action: "Accept the invitation",
    link: props.link,
    after: [
      "Nothing changes until you accept. If you did not expect this invitation, decline it on your account page or ignore this e-mail.",
    ],
  });
}

/** A reset link for an account (box-wide: it names no organisation). */
export function passwordResetMail(props: { link: string }): RenderedMail {
  return linkMail({
    organization: "Opsbox",
    subject: "Reset your Opsbox password",
    before: [
      "Someone asked to reset the password of your Opsbox account.",
      "Choose a new password with the link below. It works once, for one hour.",
    ],
    action: "Choose a new password",
    link: props.link,
    after: ["If it was not you, ignore this e-mail: your password stays as it is."],
  });
}
