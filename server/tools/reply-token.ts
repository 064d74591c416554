import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { decodeBase32, encodeBase32, idBytes, idFromBytes } from "./ids.ts";
import type { Keyring } from "./secrets.ts";

/**
 * The token of a reply address (`inbox+<token>@example.com`): which task or approval a
 * notification e-mail was about, until when a reply counts, and a MAC over that, the
 * organisation and the person it was sent to. It has to fit an address's local part (64
 * characters, RFC 5321), so the organisation and the person are bound by the MAC but not
 * carried: the organisation is the one whose mailbox received the reply, the person is found
 * from the reply's From address, and a token checked against any other fails.
 *
 * Layout (31 bytes, 50 characters of Crockford base32):
 * `version+kind (1) ‖ subject id (16) ‖ expiry, unix seconds (4) ‖ HMAC-SHA256 truncated (10)`.
 * The MAC key is derived from the box secret (each key of the keyring, so tokens survive a
 * key rotation until they expire).
 */

export const replySubjectKinds = ["task", "approval"] as const;
export type ReplySubjectKind = (typeof replySubjectKinds)[number];
export type ReplySubject = { kind: ReplySubjectKind; id: string };

const VERSION = 1;
const PREFIXES = { task: "tsk", approval: "apr" } as const;
const PAYLOAD_BYTES = 21;
const MAC_BYTES = 10;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;

/** Why a token was refused: not one of ours at all, a MAC that does not check out, or past its expiry. */
export type ReplyTokenRefusal = "malformed" | "forged" | "expired";

export type ReplyTokenCheck =
  | { ok: true; subject: ReplySubject; expiresAt: Date }
  | { ok: false; refused: ReplyTokenRefusal };

/** Who a token is for: the organisation and the person, bound by the MAC. */
export type ReplyAudience = { orgId: string; userId: string };

function macKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "opsbox reply address token v1", 32));
}

function mac(key: Buffer, audience: ReplyAudience, payload: Uint8Array): Buffer {
  return createHmac("sha256", macKey(key))
    .update(`${audience.orgId}\n${audience.userId}\n`)
    .update(payload)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** Makes the token of a reply address; throws for a subject id that is not a task's or an approval's. */
export function signReplyToken(
  keyring: Keyring,
  audience: ReplyAudience,
  subject: ReplySubject,
  expiresAt: Date,
): string {
  const id = idBytes(PREFIXES[subject.kind], subject.id);
  if (!id) throw new Error(`not a ${subject.kind} id`);
  const payload = new Uint8Array(PAYLOAD_BYTES);
  payload[0] = (VERSION << 4) | replySubjectKinds.indexOf(subject.kind);
  payload.set(id, 1);
  new DataView(payload.buffer).setUint32(17, Math.floor(expiresAt.getTime() / 1000));
  const token = new Uint8Array(TOKEN_BYTES);
  token.set(payload);
  token.set(mac(keyring.current.key, audience, payload), PAYLOAD_BYTES);
  return encodeBase32(token);
}

/** Checks a token against the organisation that received it and the person who sent it. */
export function checkReplyToken(
  keyring: Keyring,
  audience: ReplyAudience,
  token: string,
  now = new Date(),
): ReplyTokenCheck {
  const bytes = decodeBase32(token, TOKEN_BYTES);
  const kind = bytes ? replySubjectKinds[(bytes[0] ?? 0) & 0x0f] : undefined;
  if (!bytes || (bytes[0] ?? 0) >> 4 !== VERSION || !kind) return { ok: false, refused: "malformed" };
  const payload = bytes.subarray(0, PAYLOAD_BYTES);
  const given = Buffer.from(bytes.subarray(PAYLOAD_BYTES));
  const genuine = [...keyring.byId.values()].some(({ key }) => timingSafeEqual(mac(key, audience, payload), given));
  if (!genuine) return { ok: false, refused: "forged" };
  const expiresAt = new Date(new DataView(bytes.buffer, bytes.byteOffset).getUint32(17) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, refused: "expired" };
  return { ok: true, subject: { kind, id: idFromBytes(PREFIXES[kind], payload.subarray(1, 17)) }, expiresAt };
}

/** The token in an address's `local+token@domain` part, or null when it has none. */
export function replyTokenOf(address: string): string | null {
  const match = /^[^@+]+\+([0-9a-z]+)@[^@]+$/i.exec(address.trim());
  return match?.[1] ?? null;
}

/** `local+token@domain` for a mailbox address `local@domain`. */
export function withReplyToken(mailbox: string, token: string): string {
  const at = mailbox.lastIndexOf("@");
  const local = mailbox.slice(0, at).split("+")[0];
  return `${local}+${token}${mailbox.slice(at)}`;
}
