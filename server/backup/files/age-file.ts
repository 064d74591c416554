/** age-encryption on first use: a box without backups never loads it (about 10 MB resident). */
const age = () => import("age-encryption");

/** One file encrypted for the backup key's recipient (age, X25519). */
export async function encryptFile(recipient: string, bytes: Uint8Array): Promise<Uint8Array> {
  const encrypter = new (await age()).Encrypter();
  encrypter.addRecipient(recipient);
  return encrypter.encrypt(bytes);
}

/** Raised when the key given is not the one the backup was encrypted for. */
export class WrongBackupKeyError extends Error {
  override name = "WrongBackupKeyError";
}

/** Decrypts a backed-up file; a key that does not open it is a WrongBackupKeyError. */
export async function decryptFile(identity: string, bytes: Uint8Array): Promise<Uint8Array> {
  const decrypter = new (await age()).Decrypter();
  decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(bytes);
  } catch (error) {
    if (/no identity matched/i.test(String(error))) throw new WrongBackupKeyError(String(error));
    throw error;
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return new Bun.CryptoHasher("sha256").update(bytes).digest("hex");
}
