export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

// ~50,000 of the most used passwords, compared in lower case. Loaded on the first check, not
// at start: the list costs about 25 MB and 35 ms, and most processes never check a password.
let commonPasswords: Set<string> | null = null;

function isCommon(word: string): boolean {
  if (!commonPasswords) {
    const { dictionary } = require("@zxcvbn-ts/language-common") as typeof import("@zxcvbn-ts/language-common");
    commonPasswords = new Set((dictionary["passwords-common"] as string[]).map((entry) => entry.toLowerCase()));
  }
  return commonPasswords.has(word);
}

export type PasswordCheck = { ok: true } | { ok: false; message: string };

/**
 * The password rules: long enough, not common (nor a common one with digits or symbols
 * stuck on), not one character or pattern repeated, and not containing the e-mail.
 */
export function checkPasswordStrength(
  password: string,
  context: { email?: string; minLength?: number } = {},
): PasswordCheck {
  const minLength = Math.max(context.minLength ?? MIN_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH);
  if (password.length < minLength) return { ok: false, message: `Use at least ${minLength} characters.` };
  if (password.length > MAX_PASSWORD_LENGTH) {
    return { ok: false, message: `Use at most ${MAX_PASSWORD_LENGTH} characters.` };
  }
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, "").replace(/^[\d\W_]+/u, "");
  if (isCommon(lower) || (stem.length > 0 && isCommon(stem)) || isRepetitive(lower)) {
    return { ok: false, message: "This password is too common. Choose something less predictable." };
  }
  const email = context.email?.toLowerCase();
  if (email) {
    const local = email.split("@")[0] ?? "";
    if (lower.includes(email) || (local.length >= 3 && lower.includes(local))) {
      return { ok: false, message: "The password must not contain your e-mail address." };
    }
  }
  return { ok: true };
}

/** "aaaaaaaaaaaa", "abcabcabcabc", "123412341234": a short unit repeated. */
function isRepetitive(password: string): boolean {
  for (let size = 1; size <= 4; size += 1) {
    const unit = password.slice(0, size);
    if (unit.repeat(Math.ceil(password.length / size)).startsWith(password)) return true;
  }
  return false;
}

/** argon2id with Bun's defaults (64 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: "argon2id" });
}

// A real hash to verify against when the account does not exist, so that an unknown e-mail
// takes as long to refuse as a wrong password.
let decoyHash: Promise<string> | null = null;

/** Verifies `password`; with a null hash it does the same work and answers false. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) {
    decoyHash ??= hashPassword(crypto.randomUUID());
    await Bun.password.verify(password, await decoyHash);
    return false;
  }
  return Bun.password.verify(password, hash);
}

/** A readable random password for `setup --quick`: 5 groups of 5 characters. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
  // Rejection sampling: bytes past the last whole multiple of the alphabet would bias it.
  const limit = 256 - (256 % alphabet.length);
  let chars = "";
  while (chars.length < 25) {
    for (const byte of crypto.getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < 25) chars += alphabet[byte % alphabet.length];
    }
  }
  return chars.match(/.{5}/g)?.join("-") ?? chars;
}
