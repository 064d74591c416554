import { resendProvider } from "./resend.ts";
import { sendGridProvider } from "./sendgrid.ts";
import { type SmtpOptions, smtpProvider } from "./smtp.ts";
import type { MailProvider, TransportSettings } from "./types.ts";

/** Test-only overrides: local servers in place of the providers' real endpoints. */
export type ProviderOverrides = { smtp?: SmtpOptions; resendBaseUrl?: string; sendGridBaseUrl?: string };

/** The provider the settings name. */
export function createProvider(settings: TransportSettings, overrides: ProviderOverrides = {}): MailProvider {
  switch (settings.provider) {
    case "smtp":
      return smtpProvider(settings, overrides.smtp);
    case "resend":
      return resendProvider(settings, overrides.resendBaseUrl);
    case "sendgrid":
      return sendGridProvider(settings, overrides.sendGridBaseUrl);
  }
}
