import { type Context, Hono } from "hono";
import type { z } from "zod";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError, validationFailed } from "../http/errors.ts";
import { checkSendGridSignature, checkSvixSignature, type SignatureCheck } from "../tools/webhook-signatures.ts";
import { applyResendEvent, applySendGridEvents, resendEvent, sendGridEvents } from "./webhook-events.ts";
import { resendWebhookSecret, sendGridWebhookKey } from "./webhook-settings.ts";

const tags = ["E-mail"];
const refusals: Record<Exclude<SignatureCheck, "ok">, string> = {
  unsigned: "The request is not signed.",
  stale: "The signature's timestamp is more than five minutes old (or ahead).",
  wrong: "The signature does not match.",
};

/** Throws 401 unless the signature checked out; the answer never says more than which check failed. */
function requireSigned(check: SignatureCheck): void {
  if (check !== "ok") throw new AppError("unauthenticated", refusals[check]);
}

/** The body as JSON, validated by `schema` (422 otherwise), read only once the signature checked out. */
function parsed<Schema extends z.ZodType>(body: string, schema: Schema): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new AppError("validation_failed", "The body is not JSON.");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw validationFailed(result.error);
  return result.data;
}

function notConfigured(provider: string): AppError {
  return new AppError("unauthenticated", `No ${provider} webhook key is configured (Settings → E-mail).`);
}

const header = (c: Context<AppEnv>, name: string) => c.req.header(name) || undefined;

/**
 * /mail/webhooks/resend and /mail/webhooks/sendgrid: the providers' event webhooks, signed by each
 * provider's scheme with the key stored in the mail settings (no session, no API key). A bounce or
 * complaint about a message this box sent marks it and puts the address on the suppression list.
 */
export const mailWebhooksApi = new Hono<AppEnv>()
  .post(
    "/resend",
    apiDoc({
      summary: "Resend's event webhook",
      description:
        "Signed by Svix (`svix-id`, `svix-timestamp`, `svix-signature` with the `whsec_` secret of Settings → E-mail); unsigned, wrong or stale (over five minutes) requests are 401. `email.bounced` (permanent) and `email.complained` mark the message and suppress the address.",
      tags,
      responses: { 200: { description: "How many events changed a message" } },
    }),
    async (c) => {
      const { db, keyring } = c.var.deps;
      const secret = resendWebhookSecret(db, keyring);
      if (!secret) throw notConfigured("Resend");
      const body = await c.req.text();
      requireSigned(
        checkSvixSignature({
          secret,
          id: header(c, "svix-id"),
          timestamp: header(c, "svix-timestamp"),
          signature: header(c, "svix-signature"),
          body,
        }),
      );
      return c.json(applyResendEvent(db, parsed(body, resendEvent)));
    },
  )
  .post(
    "/sendgrid",
    apiDoc({
      summary: "SendGrid's Event Webhook",
      description:
        "Signed with ECDSA (`X-Twilio-Email-Event-Webhook-Signature` and `-Timestamp`, checked with the verification key of Settings → E-mail); unsigned, wrong or stale requests are 401. `bounce`, `dropped` (bounced, invalid or spam-reported address) and `spamreport` mark the message and suppress the address.",
      tags,
      responses: { 200: { description: "How many events changed a message" } },
    }),
    async (c) => {
      const { db } = c.var.deps;
      const publicKey = sendGridWebhookKey(db);
      if (!publicKey) throw notConfigured("SendGrid");
      const body = await c.req.text();
      requireSigned(
        checkSendGridSignature({
          publicKey,
          timestamp: header(c, "X-Twilio-Email-Event-Webhook-Timestamp"),
          signature: header(c, "X-Twilio-Email-Event-Webhook-Signature"),
          body,
        }),
      );
      return c.json(applySendGridEvents(db, parsed(body, sendGridEvents)));
    },
  );
