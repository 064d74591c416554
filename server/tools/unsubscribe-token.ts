import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { Keyring } from "./secrets.ts";

/**
 * The token of an unsubscribe link (`/unsubscribe/<token>`): which address stops getting which
 * organisation's non-essential mail (no organisation: the box's own mail), until when the link
 * works, and a MAC over all of it. No sign-in is needed to use it, so the MAC is the whole of its
 * authority: a changed address, organisation or expiry fails.
 *
 * Layout: `base64url(payload) . base64url(HMAC-SHA256 truncated to 16 bytes)`, the payload being
 * `v1 \n org id or "" \n address \n expiry in unix seconds`. The MAC key is derived from the box
 * secret (each key of the keyring is tried, so links survive a key rotation until they expire).
 */

export type UnsubscribeTarget = { orgId: string | null; address: string };

export type UnsubscribeCheck =
  | { ok: true; target: UnsubscribeTarget; expiresAt: Date }
  | { ok: false; refused: "malformed" | "forged" | "expired" };

const VERSION = "v1";
const MAC_BYTES = 16;

function mac(key: Buffer, payload: Buffer): Buffer {
  const macKey = Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "opsbox unsubscribe link v1", 32));
  return createHmac("sha256", macKey).update(payload).digest().subarray(0, MAC_BYTES);
}

/** Makes the token of an unsubscribe link. */
export function signUnsubscribeToken(keyring: Keyring, target: UnsubscribeTarget, expiresAt: Date): string {
  const expiry = Math.floor(expiresAt.getTime() / 1000);
  const payload = Buffer.from(`${VERSION}\n${target.orgId ?? ""}\n${target.address}\n${expiry}`, "utf8");
  return `${payload.toString("base64url")}.${mac(keyring.current.key, payload).toString("base64url")}`;
}

/** Checks a token: its MAC under any key of the keyring, then its expiry. */
export function checkUnsubscribeToken(keyring: Keyring, token: string, now = new Date()): UnsubscribeCheck {
  const [encoded, given, extra] = token.split(".");
  if (!encoded || !given || extra !== undefined || !/^[\w-]+$/.test(encoded) || !/^[\w-]+$/.test(given))
    return { ok: false, refused: "malformed" };
  const payload = Buffer.from(encoded, "base64url");
  const fields = payload.toString("utf8").split("\n");
  const [version, orgId, address, expiry] = fields;
  const givenMac = Buffer.from(given, "base64url");
  if (
    fields.length !== 4 ||
    version !== VERSION ||
    !address ||
    !/^\d+$/.test(expiry ?? "") ||
    givenMac.length !== MAC_BYTES
  )
    return { ok: false, refused: "malformed" };
  const genuine = [...keyring.byId.values()].some(({ key }) => timingSafeEqual(mac(key, payload), givenMac));
  if (!genuine) return { ok: false, refused: "forged" };
  const expiresAt = new Date(Number(expiry) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, refused: "expired" };
  return { ok: true, target: { orgId: orgId || null, address }, expiresAt };
}
