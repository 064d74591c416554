import { z } from "zod";
import { mailOAuthProviders } from "../../../models/mail-oauth.ts";

/**
 * "Connect" on Settings → E-mail (the box's sending mailbox) and Settings → Inbound mail (the
 * organisation's mailbox): the app registered with Google or Microsoft. The client secret is
 * write-only; left empty it is kept for the same app.
 */
export const mailOAuthConnectInput = z
  .object({
    provider: z.enum(mailOAuthProviders, "Choose Google or Microsoft."),
    tenant: z
      .string()
      .trim()
      .max(100)
      .regex(/^[\w.-]*$/, "Enter a tenant id, a domain like contoso.onmicrosoft.com, or “common”.")
      .default(""),
    clientId: z.string().trim().min(1, "Enter the app's client id.").max(300),
    clientSecret: z.string().max(1000).default(""),
  })
  .transform((input) => ({
    ...input,
    // Microsoft without a directory: any work, school or personal account.
    tenant: input.provider === "microsoft" ? input.tenant || "common" : null,
  }));
export type MailOAuthConnectInput = z.output<typeof mailOAuthConnectInput>;
