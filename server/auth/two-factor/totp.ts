import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { decodeHex, encodeBase32UpperCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import type { User } from "../../../models/identity.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../../tools/secrets.ts";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const KEY_BYTES = 20;

/** A fresh 160-bit TOTP key (RFC 4226 recommends 160 bits for HMAC-SHA1). */
export function generateTotpKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

// Agreed storage format, shared with setup: the key's hex, encrypted and bound to the person.
export function sealTotpKey(keyring: Keyring, userId: string, key: Uint8Array): string {
  return encryptSecret(keyring, encodeHexLowerCase(key), `users.totp:${userId}`);
}

export function openTotpKey(keyring: Keyring, user: Pick<User, "id" | "totpKeyEncrypted">): Uint8Array | null {
  if (!user.totpKeyEncrypted) return null;
  return decodeHex(decryptSecret(keyring, user.totpKeyEncrypted, `users.totp:${user.id}`));
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpKeyUri(accountName: string, key: Uint8Array): string {
  return createTOTPKeyURI("Opsbox", accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}

/** The key as people type it into an app by hand: base32 in groups of four. */
export function formatTotpKey(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

export function totpStepAt(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step a code belongs to, within one step of clock drift either way, or null.
 * Steps at or before `lastStep` are refused, so that each code works once.
 */
export function matchTotpStep(key: Uint8Array, code: string, lastStep: number | null, now = new Date()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStepAt(now);
  const encoder = new TextEncoder();
  let matched: number | null = null;
  // Check every candidate (no early return) so the time taken does not say which step matched.
  for (const step of [current - 1, current, current + 1]) {
    const expected = generateHOTP(key, BigInt(step), TOTP_DIGITS);
    if (constantTimeEqual(encoder.encode(expected), encoder.encode(code)) && matched === null) matched = step;
  }
  if (matched === null || (lastStep !== null && matched <= lastStep)) return null;
  return matched;
}

/** Whether the input looks like an authenticator code rather than a recovery code. */
export function isTotpCode(input: string): boolean {
  return /^\d{6}$/.test(input.replace(/\s+/g, ""));
}
