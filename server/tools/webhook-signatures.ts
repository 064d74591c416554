import { createHmac, createPublicKey, timingSafeEqual, verify } from "node:crypto";

/**
 * The signature checks of the mail providers' event webhooks. Both refuse a request without its
 * headers, one whose timestamp is more than five minutes away from now (a replay), and one whose
 * signature does not check out.
 */
export type SignatureCheck = "ok" | "unsigned" | "stale" | "wrong";

/** How far a webhook's timestamp may be from the box's clock. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

function timestampCheck(timestamp: string, now: Date): SignatureCheck | null {
  if (!/^\d{1,12}$/.test(timestamp)) return "wrong";
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS ? "stale" : null;
}

/**
 * Svix (Resend's webhooks): `svix-signature` lists `v1,<base64 HMAC-SHA256>` entries (several
 * while a secret is rolled), each over `<svix-id>.<svix-timestamp>.<body>` under the secret's
 * bytes (the base64 after `whsec_`).
 */
export function checkSvixSignature(
  input: { secret: string; id?: string; timestamp?: string; signature?: string; body: string },
  now = new Date(),
): SignatureCheck {
  const { id, timestamp, signature } = input;
  if (!id || !timestamp || !signature) return "unsigned";
  const time = timestampCheck(timestamp, now);
  if (time) return time;
  const key = Buffer.from(input.secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${input.body}`).digest();
  const matches = signature.split(" ").some((entry) => {
    const [version, value] = entry.split(",");
    if (version !== "v1" || !value) return false;
    const given = Buffer.from(value, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? "ok" : "wrong";
}

/**
 * SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 DER
 * ECDSA (P-256, SHA-256) signature over the `-Timestamp` header followed by the raw body, made
 * with the key pair whose public half (base64 DER SubjectPublicKeyInfo) SendGrid shows.
 */
export function checkSendGridSignature(
  input: { publicKey: string; timestamp?: string; signature?: string; body: string },
  now = new Date(),
): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return "unsigned";
  const time = timestampCheck(timestamp, now);
  if (time) return time;
  try {
    const key = createPublicKey({ key: Buffer.from(input.publicKey, "base64"), format: "der", type: "spki" });
    const signed = Buffer.from(`${timestamp}${input.body}`, "utf8");
    return verify("sha256", signed, key, Buffer.from(signature, "base64")) ? "ok" : "wrong";
  } catch {
    return "wrong";
  }
}
