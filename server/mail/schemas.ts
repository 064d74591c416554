import { z } from "zod";
import { type MailMessage, mailKinds, mailStatuses } from "../../models/mail.ts";
import { pageQuery } from "../http/cursor.ts";
import type { AttachmentSummary } from "./attachments.ts";

/** `GET /mail/messages`: a page, optionally one status. */
export const outboxQuery = pageQuery.extend({ status: z.enum(mailStatuses).optional() });

/** A message as the API shows it: where it stands, never its body (bodies carry single-use links). */
export const mailMessageJsonSchema = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  template: z.string(),
  kind: z.enum(mailKinds),
  status: z.enum(mailStatuses),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  /** The provider's exact answer to the last attempt. */
  lastAnswer: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** The `Message-ID` header every attempt carries; null until the first attempt fixes it. */
  messageId: z.string().nullable(),
  /** Files sent with it (`inline`: an image the HTML part shows, the logo); never their bytes. */
  attachments: z.array(
    z.object({ fileName: z.string(), contentType: z.string(), sizeBytes: z.number().int(), inline: z.boolean() }),
  ),
});
export const mailMessageListSchema = z.object({
  data: z.array(mailMessageJsonSchema),
  nextCursor: z.string().nullable(),
});

export function mailMessageJson(
  message: MailMessage,
  attachments: AttachmentSummary[] = [],
): z.infer<typeof mailMessageJsonSchema> {
  return {
    id: message.id,
    to: message.toAddress,
    subject: message.subject,
    template: message.template,
    kind: message.kind,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: message.nextAttemptAt?.toISOString() ?? null,
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    lastAnswer: message.lastAnswer,
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
    messageId: message.messageIdHeader,
    attachments,
  };
}
