import { httpFailure, jsonStringField, postJson } from "./http-answer.ts";
import {
  cleanAnswer,
  type MailProvider,
  type ProviderMessage,
  type SendOutcome,
  type TransportSettings,
} from "./types.ts";

export const RESEND_API = "https://api.resend.com";

type ResendSettings = Extract<TransportSettings, { provider: "resend" }>;

/**
 * Resend's `POST /emails`. The outbox id is the Idempotency-Key: Resend answers a repeat within
 * 24 hours with the first answer instead of sending again, which makes a resumed send safe.
 * `baseUrl` is for tests only (a local server that checks each request).
 */
export function resendProvider(settings: ResendSettings, baseUrl = RESEND_API): MailProvider {
  const secrets = [settings.apiKey];
  return {
    name: "resend",
    send: async (message: ProviderMessage): Promise<SendOutcome> => {
      const from = settings.fromName ? `${settings.fromName} <${settings.from}>` : settings.from;
      const answer = await postJson(
        `${baseUrl}/emails`,
        { Authorization: `Bearer ${settings.apiKey}`, "Idempotency-Key": message.id },
        {
          from,
          to: [message.to],
          subject: message.subject,
          text: message.text,
          ...(message.html ? { html: message.html } : {}),
          ...(message.replyTo ? { reply_to: [message.replyTo] } : {}),
          ...(message.attachments.length > 0
            ? {
                attachments: message.attachments.map((file) => ({
                  filename: file.fileName,
                  content: Buffer.from(file.content).toString("base64"),
                  content_type: file.contentType,
                  ...(file.contentId ? { content_id: file.contentId } : {}),
                })),
              }
            : {}),
          // Resend writes its own Message-ID unless one is given: the outbox's keeps every attempt the same message.
          headers: { "Message-ID": message.messageIdHeader, ...message.headers },
        },
      );
      if (answer.answered && answer.status === 200) {
        const id = jsonStringField(answer.body, "id");
        return { status: "sent", providerMessageId: id, answer: cleanAnswer(`HTTP 200: ${answer.body}`, secrets) };
      }
      // Another request with this key is still running (a resumed send racing the first): try again later.
      if (answer.answered && answer.status === 409 && answer.body.includes("concurrent_idempotent_requests"))
        return { status: "temporary_failure", answer: cleanAnswer(`HTTP 409: ${answer.body}`, secrets) };
      return httpFailure(answer, secrets);
    },
    close: () => {},
  };
}
