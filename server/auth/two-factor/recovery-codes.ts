import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { and, eq, isNull } from "drizzle-orm";
import { recoveryCodes } from "../../../models/identity.ts";
import type { Queryable } from "../../db.ts";
import { generateSecureRandomString, hashSecret } from "../sessions/tokens.ts";

export const RECOVERY_CODE_COUNT = 10;

/** `abcd-efgh-jkmn`: 12 characters of 5 bits, 60 bits each, so a fast hash is enough. */
function newRecoveryCode(): string {
  return (generateSecureRandomString(12).match(/.{4}/g) ?? []).join("-");
}

/** People copy codes with spaces, dashes or capitals; compare the letters only. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function hashRecoveryCode(code: string): string {
  return hashSecret(normalizeRecoveryCode(code)).toString("hex");
}

/** Replaces a person's recovery codes with ten new ones; returns them, the only time they are seen. */
export function replaceRecoveryCodes(db: Queryable, userId: string): string[] {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
  db.insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })))
    .run();
  return codes;
}

/** Marks a matching unused code as used; true when there was one. */
export function consumeRecoveryCode(db: Queryable, userId: string, input: string, now = new Date()): boolean {
  const normalized = normalizeRecoveryCode(input);
  if (normalized.length !== 12) return false;
  const wanted = Buffer.from(hashRecoveryCode(normalized), "hex");
  const unused = db
    .select()
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all();
  const match = unused.find((row) => constantTimeEqual(Buffer.from(row.codeHash, "hex"), wanted));
  if (!match) return false;
  // The usedAt condition makes a second, concurrent use of the same code update nothing.
  const updated = db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.id, match.id), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id })
    .all();
  return updated.length === 1;
}

export function countUnusedRecoveryCodes(db: Queryable, userId: string): number {
  return db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)))
    .all().length;
}

export function deleteRecoveryCodes(db: Queryable, userId: string): void {
  db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).run();
}
