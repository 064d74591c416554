import type { GrantStore } from "../oauth/tokens.ts";
import { gmailProvider } from "./gmail.ts";
import { graphProvider } from "./graph.ts";
import { resendProvider } from "./resend.ts";
import { sendGridProvider } from "./sendgrid.ts";
import { type SmtpOptions, smtpProvider } from "./smtp.ts";
import type { MailProvider, TransportSettings } from "./types.ts";

/** Test-only overrides: local servers in place of the providers' real endpoints. */
export type ProviderOverrides = {
  smtp?: SmtpOptions;
  resendBaseUrl?: string;
  sendGridBaseUrl?: string;
  gmailBaseUrl?: string;
  graphBaseUrl?: string;
  oauth?: GrantStore["endpoints"];
};

/** The provider the settings name; the OAuth ones read and refresh their tokens in `grants`. */
export function createProvider(
  settings: TransportSettings,
  grants: Omit<GrantStore, "endpoints">,
  overrides: ProviderOverrides = {},
): MailProvider {
  const store: GrantStore = { ...grants, ...(overrides.oauth ? { endpoints: overrides.oauth } : {}) };
  switch (settings.provider) {
    case "smtp":
      return smtpProvider(settings, overrides.smtp);
    case "resend":
      return resendProvider(settings, overrides.resendBaseUrl);
    case "sendgrid":
      return sendGridProvider(settings, overrides.sendGridBaseUrl);
    case "gmail":
      return gmailProvider(settings, store, overrides.gmailBaseUrl);
    case "outlook":
      return graphProvider(settings, store, overrides.graphBaseUrl);
  }
}
