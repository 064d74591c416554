import {
  type InvitationMailProps,
  invitationMail as invitationTemplate,
  membershipInvitationMail as membershipTemplate,
  passwordResetMail as passwordResetTemplate,
} from "../../../views/mail/account-mail.tsx";
import type { MailBranding } from "../../mail/logo.ts";
import type { OutgoingMail } from "../../mail/outbox.ts";

/** The e-mails of people management. Links carry their token in the query string, never in a path. */

type InvitationMailInput = Omit<InvitationMailProps, "logoCid"> & { orgId: string; to: string; branding: MailBranding };

/** To an address without an account: the link sets its password. */
export function invitationMail({ branding, ...input }: InvitationMailInput): OutgoingMail {
  const mail = invitationTemplate({ ...input, logoCid: branding.logoCid });
  return { orgId: input.orgId, to: input.to, template: "invitation", ...mail, attachments: branding.attachments };
}

/** To an address that already has an account: joining is the person's choice, made signed in. */
export function membershipInvitationMail({ branding, ...input }: InvitationMailInput): OutgoingMail {
  const mail = membershipTemplate({ ...input, logoCid: branding.logoCid });
  return {
    orgId: input.orgId,
    to: input.to,
    template: "membership_invitation",
    ...mail,
    attachments: branding.attachments,
  };
}

export function passwordResetMail(input: { to: string; link: string }): OutgoingMail {
  return { orgId: null, to: input.to, template: "password_reset", ...passwordResetTemplate(input) };
}
