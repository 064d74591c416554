import type { SmtpPresetName } from "./smtp-presets.ts";

/** The sender and give-up time every provider's settings carry. */
type Sender = { from: string; fromName: string; giveUpAfterHours: number };

/** A provider's settings with its secret decrypted, held in memory only. */
export type TransportSettings =
  | ({
      provider: "smtp";
      preset: SmtpPresetName;
      host: string;
      port: number;
      secure: boolean;
      verifyCertificate: boolean;
      username: string;
      password: string;
    } & Sender)
  | ({ provider: "resend"; apiKey: string } & Sender)
  | ({ provider: "sendgrid"; apiKey: string } & Sender)
  /** Gmail API and Microsoft Graph: the box's connected mailbox (server/mail/oauth/), no secret of their own. */
  | ({ provider: "gmail" } & Sender)
  | ({ provider: "outlook" } & Sender);

export type ProviderName = TransportSettings["provider"];

/** A file sent with a message, its bytes read from the data directory for this attempt; `contentId` shows it inline. */
export type ProviderAttachment = { fileName: string; contentType: string; content: Uint8Array; contentId?: string };

/** One message as a provider sends it. */
export type ProviderMessage = {
  /** The outbox id: Resend's Idempotency-Key, SendGrid's custom argument, Graph's X-Opsbox-Message-Id header. */
  id: string;
  /** The `Message-ID` header, the same on every attempt, sent by every provider (Graph as `internetMessageId`). */
  messageIdHeader: string;
  date: Date;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  replyTo: string | null;
  attachments: ProviderAttachment[];
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post), passed through by every provider. */
  headers?: Record<string, string>;
};

/**
 * What a provider answered: accepted (with its id for the message), a temporary failure worth
 * retrying (SMTP 4xx, HTTP 429 or 5xx, no answer at all), or a permanent one (SMTP 5xx, any
 * other HTTP 4xx). `answer` is the provider's own words, never a secret.
 */
export type SendOutcome =
  | { status: "sent"; providerMessageId: string | null; answer: string }
  | { status: "temporary_failure"; answer: string }
  | { status: "permanent_failure"; answer: string };

export type MailProvider = {
  readonly name: ProviderName;
  send: (message: ProviderMessage) => Promise<SendOutcome>;
  /**
   * Why sending is held back for now (an OAuth grant waiting to be connected again), or null. The
   * worker then claims nothing: messages wait in the queue without spending attempts.
   */
  paused?: () => string | null;
  /** Closes pooled connections; sends still running finish first. */
  close: () => void;
};

/** How long one HTTP request or SMTP conversation may take before it counts as a temporary failure. */
export const SEND_TIMEOUT_MS = 30_000;

/** A provider's answer, trimmed and with any secret it might echo cut out. */
export function cleanAnswer(answer: string, secrets: string[]): string {
  let text = answer.trim().slice(0, 1000);
  for (const secret of secrets) if (secret.length >= 4) text = text.split(secret).join("[secret]");
  return text || "(no answer)";
}

/** "Name <address>" for the From header, or the bare address without a name. */
export function fromHeader(settings: Sender): { name: string; address: string } {
  return { name: settings.fromName, address: settings.from };
}

/** The message as nodemailer composes it (SMTP, Gmail's raw message): the same Message-ID and Date on every attempt. */
export function nodemailerMessageOf(settings: Sender, message: ProviderMessage) {
  return {
    from: fromHeader(settings),
    to: message.to,
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(message.headers ? { headers: message.headers } : {}),
    attachments: message.attachments.map((file) => ({
      filename: file.fileName,
      contentType: file.contentType,
      content: Buffer.from(file.content),
      ...(file.contentId ? { cid: file.contentId } : {}),
    })),
    messageId: message.messageIdHeader,
    date: message.date,
  };
}
