import { constantTimeEqual } from "@oslojs/crypto/subtle";

// The Lucia guide's alphabet: lower case without look-alikes (no l, o, 0, 1).
const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

/** 24 characters from a CSPRNG, 120 bits of entropy (32 letters, 5 bits each, no bias). */
export function generateSecureRandomString(length = 24): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const byte of bytes) out += ALPHABET[byte >> 3];
  return out;
}

export function hashSecret(secret: string): Buffer {
  // Bun's native SHA-256: this runs on every authenticated request.
  return new Bun.CryptoHasher("sha256").update(secret).digest();
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash);
}
