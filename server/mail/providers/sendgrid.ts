import { httpFailure, postJson } from "./http-answer.ts";
import {
  cleanAnswer,
  type MailProvider,
  type ProviderMessage,
  type SendOutcome,
  type TransportSettings,
} from "./types.ts";

export const SENDGRID_API = "https://api.sendgrid.com";

type SendGridSettings = Extract<TransportSettings, { provider: "sendgrid" }>;

/**
 * SendGrid's v3 `POST /v3/mail/send`: 202 Accepted with the id in `X-Message-Id`. SendGrid has no
 * idempotency key; the outbox id travels as the custom argument `opsbox_message_id`, which its
 * event webhook echoes back. `baseUrl` is for tests only.
 */
export function sendGridProvider(settings: SendGridSettings, baseUrl = SENDGRID_API): MailProvider {
  const secrets = [settings.apiKey];
  return {
    name: "sendgrid",
    send: async (message: ProviderMessage): Promise<SendOutcome> => {
      const content = [{ type: "text/plain", value: message.text }];
      if (message.html) content.push({ type: "text/html", value: message.html });
      const answer = await postJson(
        `${baseUrl}/v3/mail/send`,
        { Authorization: `Bearer ${settings.apiKey}` },
        {
          personalizations: [{ to: [{ email: message.to }] }],
          from: settings.fromName ? { email: settings.from, name: settings.fromName } : { email: settings.from },
          ...(message.replyTo ? { reply_to: { email: message.replyTo } } : {}),
          subject: message.subject,
          content,
          // Message-ID is not among SendGrid's reserved headers: the outbox's own goes, the same on every attempt.
          headers: { "Message-ID": message.messageIdHeader, ...message.headers },
          custom_args: { opsbox_message_id: message.id },
          ...(message.attachments.length > 0
            ? {
                attachments: message.attachments.map((file) => ({
                  content: Buffer.from(file.content).toString("base64"),
                  filename: file.fileName,
                  type: file.contentType,
                  ...(file.contentId
                    ? { disposition: "inline", content_id: file.contentId }
                    : { disposition: "attachment" }),
                })),
              }
            : {}),
        },
      );
      if (answer.answered && (answer.status === 202 || answer.status === 200)) {
        const id = answer.headers.get("X-Message-Id");
        const text = `HTTP ${answer.status} Accepted${id ? ` (X-Message-Id: ${id})` : ""}${answer.body ? `: ${answer.body}` : ""}`;
        return { status: "sent", providerMessageId: id, answer: cleanAnswer(text, secrets) };
      }
      return httpFailure(answer, secrets);
    },
    close: () => {},
  };
}
