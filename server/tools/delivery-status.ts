/**
 * Delivery status notifications (RFC 3464): the `multipart/report; report-type=delivery-status`
 * message a mail server sends back when it could not deliver. Read from a parsed message (the
 * shape postal-mime gives): the `message/delivery-status` part's per-recipient fields, and the
 * `Message-ID` of the returned original (`message/rfc822` or `text/rfc822-headers` part).
 */

export type DeliveryStatusRecipient = {
  /** Final-Recipient (else Original-Recipient), lower-cased. */
  address: string;
  /** `failed`, `delayed`, `delivered`, `relayed` or `expanded`. */
  action: string;
  /** The enhanced status code, `5.1.1`. */
  status: string;
  diagnostic: string | null;
};

export type DeliveryStatusReport = { originalMessageId: string | null; recipients: DeliveryStatusRecipient[] };

type ParsedPart = { mimeType: string; content: ArrayBuffer | Uint8Array | string };
type ParsedMail = { headers: { key: string; value: string }[]; attachments: ParsedPart[] };

const textOf = (content: ParsedPart["content"]) =>
  typeof content === "string" ? content : new TextDecoder().decode(content);

/** Header-style fields of one block (continuation lines folded in), by lower-cased name. */
function fieldsOf(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}

/** `rfc822; a@b.example` → `a@b.example`. */
const addressOf = (value: string | undefined) =>
  (value?.includes(";") ? value.slice(value.indexOf(";") + 1) : (value ?? ""))
    .trim()
    .replace(/^<|>$/g, "")
    .toLowerCase();

/** The report in `mail`, or null when it is not a delivery status notification. */
export function readDeliveryStatus(mail: ParsedMail): DeliveryStatusReport | null {
  const contentType = mail.headers.find((header) => header.key.toLowerCase() === "content-type")?.value ?? "";
  const statusPart = mail.attachments.find((part) => /^message\/(global-)?delivery-status$/i.test(part.mimeType));
  const isReport = /multipart\/report/i.test(contentType) && /report-type\s*=\s*"?delivery-status/i.test(contentType);
  if (!statusPart || !isReport) return null;
  const [, ...perRecipient] = textOf(statusPart.content).split(/\r?\n[ \t]*\r?\n/);
  const recipients = perRecipient
    .map(fieldsOf)
    .filter((fields) => fields.has("action"))
    .map((fields) => ({
      address: addressOf(fields.get("final-recipient") ?? fields.get("original-recipient")),
      action: (fields.get("action") ?? "").toLowerCase(),
      status: /\d\.\d{1,3}\.\d{1,3}/.exec(fields.get("status") ?? "")?.[0] ?? "",
      diagnostic: fields.get("diagnostic-code")?.slice(0, 500) ?? null,
    }))
    .filter((recipient) => recipient.address);
  const original = mail.attachments.find((part) => /^(message\/rfc822|text\/rfc822-headers)$/i.test(part.mimeType));
  const headers = original ? textOf(original.content).split(/\r?\n\r?\n/)[0] : undefined;
  const originalMessageId = headers ? (fieldsOf(headers).get("message-id") ?? null) : null;
  return { originalMessageId, recipients };
}

/** A permanent failure: the action failed with a 5.x.x status (4.x.x is temporary and is retried by the server). */
export function isPermanentFailure(recipient: DeliveryStatusRecipient): boolean {
  return recipient.action === "failed" && recipient.status.startsWith("5.");
}
