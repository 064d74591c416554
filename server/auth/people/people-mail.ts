import {
  type InvitationMailProps,
  invitationMail as invitationTemplate,
  membershipInvitationMail as membershipTemplate,
  passwordResetMail as passwordResetTemplate,
} from "../../../views/mail/account-mail.tsx";
import type { OutgoingMail } from "../../mail/outbox.ts";

/** The e-mails of people management. Links carry their token in the query string, never in a path. */

type InvitationMailInput = InvitationMailProps & { orgId: string; to: string };

/** To an address without an account: the link sets its password. */
export function invitationMail(input: InvitationMailInput): OutgoingMail {
  return { orgId: input.orgId, to: input.to, template: "invitation", ...invitationTemplate(input) };
}

/** To an address that already has an account: joining is the person's choice, made signed in. */
export function membershipInvitationMail(input: InvitationMailInput): OutgoingMail {
  return { orgId: input.orgId, to: input.to, template: "membership_invitation", ...membershipTemplate(input) };
}

export function passwordResetMail(input: { to: string; link: string }): OutgoingMail {
  return { orgId: null, to: input.to, template: "password_reset", ...passwordResetTemplate(input) };
}
