import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { generateSecureRandomString, hashSecret } from "../auth/sessions/tokens.ts";
import type { Db } from "../db.ts";

export const SETUP_TOKEN_FILE = "setup-token";
const TOKEN_HASH_KEY = "setup.tokenHash";

export function setupTokenPath(dataDir: string): string {
  return join(dataDir, SETUP_TOKEN_FILE);
}

/**
 * Makes sure a box that is not set up has a one-time setup token: in `<data dir>/setup-token`
 * (mode 0600) for whoever has a shell on the box, and as a hash in the database. Returns it.
 */
export function ensureSetupToken(db: Db, dataDir: string): string {
  const path = setupTokenPath(dataDir);
  const stored = db.select().from(instanceSettings).where(eq(instanceSettings.key, TOKEN_HASH_KEY)).get();
  if (stored && existsSync(path)) {
    const token = readFileSync(path, "utf8").trim();
    if (verifySetupToken(db, token)) return token;
  }
  const token = generateSecureRandomString(32);
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  const value = hashSecret(token).toString("hex");
  db.insert(instanceSettings)
    .values({ key: TOKEN_HASH_KEY, value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: instanceSettings.key, set: { value, updatedAt: new Date() } })
    .run();
  return token;
}

export function verifySetupToken(db: Db, token: string | undefined | null): boolean {
  if (!token || token.length > 128) return false;
  const stored = db.select().from(instanceSettings).where(eq(instanceSettings.key, TOKEN_HASH_KEY)).get();
  if (typeof stored?.value !== "string") return false;
  return constantTimeEqual(hashSecret(token), Buffer.from(stored.value, "hex"));
}

/** After setup: the token stops working and its file is removed. */
export function discardSetupToken(db: Db, dataDir: string): void {
  db.delete(instanceSettings).where(eq(instanceSettings.key, TOKEN_HASH_KEY)).run();
  rmSync(setupTokenPath(dataDir), { force: true });
}
