import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

/**
 * Secrets at rest (TOTP keys, OAuth client secrets, provider passwords): AES-256-GCM under a
 * key derived from a root key (OPSBOX_SECRET_KEY). Every ciphertext names its key id, so a
 * new root key can take over while old ones still decrypt until `opsbox secrets rotate`
 * has re-encrypted everything.
 *
 * Format: `v1.<key id>.<base64url(iv ‖ ciphertext ‖ tag)>`
 */
export type Keyring = {
  /** Encrypts new values. */
  current: DerivedKey;
  /** Every key that may decrypt, the current one included, by key id. */
  byId: ReadonlyMap<string, DerivedKey>;
  /**
   * Reads the root keys again (the key file), for a ciphertext whose key id is unknown: after
   * `opsbox secrets rotate` a running server learns the new key without a restart.
   */
  reload?: () => Uint8Array[];
};

type DerivedKey = { id: string; key: Buffer };

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

function deriveKey(root: Uint8Array): DerivedKey {
  const key = Buffer.from(hkdfSync("sha256", root, Buffer.alloc(0), "opsbox secrets at rest v1", 32));
  const id = createHash("sha256").update("opsbox key id").update(root).digest("hex").slice(0, 8);
  return { id, key };
}

/** The first root key encrypts; the others (previous keys) only decrypt. */
export function createKeyring(current: Uint8Array, previous: Uint8Array[] = [], reload?: () => Uint8Array[]): Keyring {
  const derived = deriveKey(current);
  const byId = new Map<string, DerivedKey>([[derived.id, derived]]);
  for (const root of previous) {
    const old = deriveKey(root);
    if (!byId.has(old.id)) byId.set(old.id, old);
  }
  return reload ? { current: derived, byId, reload } : { current: derived, byId };
}

/** Finds the key for `keyId`, reloading the root keys once if it is unknown. */
function keyFor(keyring: Keyring, keyId: string): DerivedKey | undefined {
  const known = keyring.byId.get(keyId);
  if (known || !keyring.reload) return known;
  const [current, ...previous] = keyring.reload();
  if (!current) return undefined;
  const fresh = createKeyring(current, previous);
  const merged = new Map(keyring.byId);
  for (const [id, key] of fresh.byId) merged.set(id, key);
  keyring.current = fresh.current;
  keyring.byId = merged;
  return merged.get(keyId);
}

/** `context` binds a ciphertext to its place (say `users.totp:usr_…`): moved elsewhere, it fails. */
export function encryptSecret(keyring: Keyring, plaintext: string, context = ""): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyring.current.key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const sealed = Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url");
  return `${VERSION}.${keyring.current.id}.${sealed}`;
}

export function decryptSecret(keyring: Keyring, ciphertext: string, context = ""): string {
  const [version, keyId, sealed] = ciphertext.split(".");
  if (version !== VERSION || !keyId || !sealed) throw new SecretDecryptionError("Not an Opsbox ciphertext.");
  const derived = keyFor(keyring, keyId);
  if (!derived) {
    throw new SecretDecryptionError(
      `Encrypted with key ${keyId}, which is not configured (add it to OPSBOX_PREVIOUS_SECRET_KEYS).`,
    );
  }
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptionError("The ciphertext is truncated.");
  try {
    const decipher = createDecipheriv("aes-256-gcm", derived.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new SecretDecryptionError("The ciphertext does not match its key or context.");
  }
}

/** The key id a ciphertext was made with, to find values that still need re-encryption. */
export function keyIdOf(ciphertext: string): string | null {
  const [version, keyId] = ciphertext.split(".");
  return version === VERSION && keyId ? keyId : null;
}
