import type { GrantStore } from "../oauth/tokens.ts";
import { httpFailure, postJson } from "./http-answer.ts";
import { sendingPaused, sendWithAccessToken } from "./oauth-send.ts";
import {
  cleanAnswer,
  type MailProvider,
  type ProviderMessage,
  type SendOutcome,
  type TransportSettings,
} from "./types.ts";

export const GRAPH_API = "https://graph.microsoft.com";

type OutlookSettings = Extract<TransportSettings, { provider: "outlook" }>;

const recipient = (address: string, name?: string) => ({ emailAddress: name ? { address, name } : { address } });

/**
 * The message as Graph's `message` resource. Graph carries one body, so the HTML part goes when
 * there is one, else the text. The outbox id travels as an `X-` header (the only kind Graph lets
 * a sender set) for finding the message later. Attachments are `fileAttachment`s, base64; the
 * logo is inline by its content id.
 */
export function graphMessageOf(settings: OutlookSettings, message: ProviderMessage) {
  return {
    message: {
      subject: message.subject,
      body: message.html
        ? { contentType: "HTML", content: message.html }
        : { contentType: "Text", content: message.text },
      from: recipient(settings.from, settings.fromName || undefined),
      toRecipients: [recipient(message.to)],
      ...(message.replyTo ? { replyTo: [recipient(message.replyTo)] } : {}),
      // Graph lets a sender set only X- headers, but a new message's internetMessageId (RFC 5322 Message-ID) is writable.
      internetMessageId: message.messageIdHeader,
      internetMessageHeaders: [{ name: "X-Opsbox-Message-Id", value: message.id }],
      ...(message.attachments.length > 0
        ? {
            attachments: message.attachments.map((file) => ({
              "@odata.type": "#microsoft.graph.fileAttachment",
              name: file.fileName,
              contentType: file.contentType,
              contentBytes: Buffer.from(file.content).toString("base64"),
              ...(file.contentId ? { isInline: true, contentId: file.contentId } : {}),
            })),
          }
        : {}),
    },
    saveToSentItems: true,
  };
}

/**
 * Microsoft Graph's `POST /v1.0/me/sendMail` with the connected Microsoft 365 or Outlook.com
 * account: 202 Accepted with no body (Graph gives no message id). `baseUrl` is for tests only.
 */
export function graphProvider(settings: OutlookSettings, store: GrantStore, baseUrl = GRAPH_API): MailProvider {
  return {
    name: "outlook",
    send: async (message: ProviderMessage): Promise<SendOutcome> => {
      const body = graphMessageOf(settings, message);
      const result = await sendWithAccessToken(store, (token) =>
        postJson(`${baseUrl}/v1.0/me/sendMail`, { Authorization: `Bearer ${token}` }, body),
      );
      if ("status" in result) return result;
      const { answer, secrets } = result;
      if (answer.answered && answer.status === 202) {
        const requestId = answer.headers.get("request-id");
        const text = `HTTP 202 Accepted${requestId ? ` (request-id: ${requestId})` : ""}`;
        return { status: "sent", providerMessageId: null, answer: cleanAnswer(text, secrets) };
      }
      return httpFailure(answer, secrets);
    },
    paused: () => sendingPaused(store),
    close: () => {},
  };
}
