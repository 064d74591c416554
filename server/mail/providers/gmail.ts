import type { GrantStore } from "../oauth/tokens.ts";
import { httpFailure, jsonStringField, postJson } from "./http-answer.ts";
import { sendingPaused, sendWithAccessToken } from "./oauth-send.ts";
import {
  cleanAnswer,
  type MailProvider,
  nodemailerMessageOf,
  type ProviderMessage,
  type SendOutcome,
  type TransportSettings,
} from "./types.ts";

export const GMAIL_API = "https://gmail.googleapis.com";

type GmailSettings = Extract<TransportSettings, { provider: "gmail" }>;

/** The message as RFC 822 bytes, the same Message-ID and Date on every attempt. */
export async function rfc822Of(settings: GmailSettings, message: ProviderMessage): Promise<Buffer> {
  // nodemailer's composer on the first message, not at start.
  const { default: MailComposer } = await import("nodemailer/lib/mail-composer");
  return new MailComposer(nodemailerMessageOf(settings, message)).compile().build();
}

/**
 * The Gmail API's `users.messages.send` with the connected Google account: the whole message,
 * base64url-encoded, as `raw`. Gmail sends it from the account (or an alias it may use). `baseUrl`
 * is for tests only.
 */
export function gmailProvider(settings: GmailSettings, store: GrantStore, baseUrl = GMAIL_API): MailProvider {
  return {
    name: "gmail",
    send: async (message: ProviderMessage): Promise<SendOutcome> => {
      const raw = (await rfc822Of(settings, message)).toString("base64url");
      const result = await sendWithAccessToken(store, (token) =>
        postJson(`${baseUrl}/gmail/v1/users/me/messages/send`, { Authorization: `Bearer ${token}` }, { raw }),
      );
      if ("status" in result) return result;
      const { answer, secrets } = result;
      if (answer.answered && answer.status === 200) {
        const id = jsonStringField(answer.body, "id");
        return {
          status: "sent",
          providerMessageId: id,
          answer: cleanAnswer(`HTTP 200: gmail id ${id ?? "?"}`, secrets),
        };
      }
      return httpFailure(answer, secrets);
    },
    paused: () => sendingPaused(store),
    close: () => {},
  };
}
