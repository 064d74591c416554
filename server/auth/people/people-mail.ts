import type { OutgoingMail } from "../../mail/outbox.ts";

/** The e-mails of people management. Links carry their token in the query string, never in a path. */

type InvitationMailInput = {
  orgId: string;
  to: string;
  organizationName: string;
  inviterName: string | null;
  roleName: string;
  link: string;
};

export function invitationMail(input: InvitationMailInput): OutgoingMail {
  return invitedMail(input, "invitation", [
    "Choose your password here. The link works once, for 7 days:",
    input.link,
    "",
    "If you did not expect this invitation, ignore this e-mail.",
  ]);
}

/** To an address that already has an account: joining is the person's choice, made signed in. */
export function membershipInvitationMail(input: InvitationMailInput): OutgoingMail {
  return invitedMail(input, "membership_invitation", [
    "You already have an Opsbox account on this box. To accept, open this link and sign in with that",
    "account (the link works once, for 7 days, and only together with your own sign-in):",
    input.link,
    "",
    "Nothing changes until you accept. If you did not expect this invitation, decline it on your",
    "account page or ignore this e-mail.",
  ]);
}

/** The part both invitations share: who invited whom, to which organisation and role. */
function invitedMail(input: InvitationMailInput, template: string, rest: string[]): OutgoingMail {
  const who = input.inviterName ? `${input.inviterName} invited you` : "You are invited";
  return {
    orgId: input.orgId,
    to: input.to,
    template,
    subject: `You are invited to ${input.organizationName} on Opsbox`,
    text: [`${who} to join ${input.organizationName} on Opsbox as ${input.roleName}.`, "", ...rest].join("\n"),
  };
}

export function passwordResetMail(input: { to: string; link: string }): OutgoingMail {
  return {
    orgId: null,
    to: input.to,
    template: "password_reset",
    subject: "Reset your Opsbox password",
    text: [
      "Someone asked to reset the password of your Opsbox account.",
      "",
      "Choose a new password here. The link works once, for one hour:",
      input.link,
      "",
      "If it was not you, ignore this e-mail: your password stays as it is.",
    ].join("\n"),
  };
}
