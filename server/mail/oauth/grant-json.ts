import { z } from "zod";
import { mailOAuthProviders, mailOAuthStates } from "../../../models/mail-oauth.ts";

/** A mailbox connected with OAuth as the API shows it: never a token or the client secret. */
export const mailOAuthGrantJson = z
  .object({
    provider: z.enum(mailOAuthProviders),
    tenant: z.string().nullable(),
    clientId: z.string(),
    account: z.string().nullable(),
    /** `reconnect`: the grant was revoked or expired; its mail waits until an admin connects again. */
    state: z.enum(mailOAuthStates),
    lastError: z.string().nullable(),
    connectedAt: z.string().nullable(),
  })
  .nullable();
