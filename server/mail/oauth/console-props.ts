import type { Context } from "hono";
import type { FieldErrors } from "../../../views/components/form-fields.tsx";
import type { MailOAuthConnectValues, MailOAuthSectionProps } from "../../../views/pages/settings/mail-oauth.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { mailOAuthCallbackUrl } from "./connect.ts";
import { type GrantPurpose, grantScopes } from "./endpoints.ts";
import { findGrant, grantKeyFor, grantViewOf } from "./grants.ts";

/** What a refused connect form brings back to its page. */
export type MailOAuthFormState = { values: MailOAuthConnectValues; errors: FieldErrors };

const wording: Record<GrantPurpose, Pick<MailOAuthSectionProps, "heading" | "purpose" | "action">> = {
  send: {
    action: "/settings/email/oauth",
    heading: "Gmail or Outlook with OAuth",
    purpose:
      "Connect the sending mailbox, then choose “Gmail API” or “Microsoft Graph” as the provider above. Opsbox keeps the tokens encrypted and refreshes them itself; if the access is revoked, mail waits in the queue until the account is connected again.",
  },
  inbound: {
    action: "/settings/inbound-mail/oauth",
    heading: "Or connect a Google or Microsoft mailbox",
    purpose:
      "Instead of a password, Opsbox can sign in to Gmail or Microsoft 365 over IMAP with OAuth (XOAUTH2). Connect the mailbox, then choose “OAuth” above and save.",
  },
};

/** The props of the connect section of Settings → E-mail (`send`) or Settings → Inbound mail (`inbound`). */
export function mailOAuthSectionProps(
  c: Context<AppEnv>,
  purpose: GrantPurpose,
  options: { canChange: boolean; orgId: string; form?: MailOAuthFormState | undefined },
): MailOAuthSectionProps {
  const grant = grantViewOf(findGrant(c.var.deps.db, grantKeyFor(purpose, options.orgId)));
  return {
    ...wording[purpose],
    grant,
    values: options.form?.values ?? {
      provider: grant?.provider ?? "google",
      tenant: grant?.tenant ?? "",
      clientId: grant?.clientId ?? "",
    },
    errors: options.form?.errors ?? {},
    callbackUrl: mailOAuthCallbackUrl(c.var.deps.config.baseUrl),
    scopes: {
      google: grantScopes("google", purpose).join(" "),
      microsoft: grantScopes("microsoft", purpose).join(" "),
    },
    canChange: options.canChange,
    csrf: formCsrf(c),
  };
}
