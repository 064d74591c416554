import { z } from "zod";
import type { Db } from "../db.ts";
import {
  type DeliveryReport,
  findMessageById,
  findMessageByProviderId,
  recordDeliveryReport,
} from "./delivery-reports.ts";

/** Resend's webhook event (the fields Opsbox reads): `email.bounced` and `email.complained` matter. */
export const resendEvent = z.object({
  type: z.string().max(100),
  data: z.object({
    email_id: z.string().max(200).optional(),
    to: z.array(z.string().max(320)).max(50).optional(),
    bounce: z
      .object({
        type: z.string().max(100).optional(),
        subType: z.string().max(100).optional(),
        message: z.string().max(2000).optional(),
      })
      .optional(),
  }),
});

/** SendGrid's Event Webhook batch (the fields Opsbox reads); custom arguments arrive as top-level fields. */
export const sendGridEvents = z
  .array(
    z.object({
      event: z.string().max(100),
      email: z.string().max(320).optional(),
      type: z.string().max(100).optional(),
      reason: z.string().max(2000).optional(),
      status: z.string().max(100).optional(),
      sg_message_id: z.string().max(200).optional(),
      opsbox_message_id: z.string().max(64).optional(),
    }),
  )
  .max(5000);

/** How many events changed a message, and how many were not about a bounce or complaint of Opsbox's mail. */
export type WebhookResult = { applied: number; ignored: number };

/**
 * A Resend event: a permanent bounce (`bounce.type` Permanent, or none given) or a complaint
 * about a message this box sent marks it and suppresses the address; transient bounces and
 * other events (sent, delivered, opened) change nothing.
 */
export function applyResendEvent(db: Db, event: z.infer<typeof resendEvent>): WebhookResult {
  const message = event.data.email_id ? findMessageByProviderId(db, "resend", event.data.email_id) : null;
  const report = resendReport(event);
  if (!message || !report) return { applied: 0, ignored: 1 };
  recordDeliveryReport(db, message, report);
  return { applied: 1, ignored: 0 };
}

function resendReport(event: z.infer<typeof resendEvent>): DeliveryReport | null {
  const address = event.data.to?.[0] ?? null;
  if (event.type === "email.complained") return { outcome: "complaint", source: "resend", address, detail: null };
  if (event.type !== "email.bounced") return null;
  const bounce = event.data.bounce;
  if (bounce?.type && bounce.type.toLowerCase() !== "permanent") return null;
  const detail = [bounce?.subType, bounce?.message].filter(Boolean).join(": ") || null;
  return { outcome: "hard_bounce", source: "resend", address, detail };
}

/**
 * SendGrid's events: `bounce` (not `blocked`, which is temporary), `dropped` for a bounced or
 * invalid address or a spam report, and `spamreport`. Each is matched by the outbox id SendGrid
 * echoes (`opsbox_message_id`), else by the X-Message-Id that starts `sg_message_id`.
 */
export function applySendGridEvents(db: Db, events: z.infer<typeof sendGridEvents>): WebhookResult {
  const result: WebhookResult = { applied: 0, ignored: 0 };
  for (const event of events) {
    const report = sendGridReport(event);
    const providerId = event.sg_message_id?.split(".")[0];
    const message = !report
      ? null
      : event.opsbox_message_id
        ? findMessageById(db, event.opsbox_message_id)
        : providerId
          ? findMessageByProviderId(db, "sendgrid", providerId)
          : null;
    if (!report || !message || message.provider !== "sendgrid") {
      result.ignored += 1;
      continue;
    }
    recordDeliveryReport(db, message, report);
    result.applied += 1;
  }
  return result;
}

function sendGridReport(event: z.infer<typeof sendGridEvents>[number]): DeliveryReport | null {
  const detail = [event.status, event.reason].filter(Boolean).join(" ") || null;
  const address = event.email ?? null;
  switch (event.event) {
    case "bounce":
      return event.type === "blocked" ? null : { outcome: "hard_bounce", source: "sendgrid", address, detail };
    case "spamreport":
      return { outcome: "complaint", source: "sendgrid", address, detail };
    case "dropped":
      if (/spam/i.test(event.reason ?? "")) return { outcome: "complaint", source: "sendgrid", address, detail };
      if (/bounce|invalid/i.test(event.reason ?? ""))
        return { outcome: "hard_bounce", source: "sendgrid", address, detail };
      return null;
    default:
      return null;
  }
}
