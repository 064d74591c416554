import { and, eq, isNull } from "drizzle-orm";
import { type EmailToken, emailTokens } from "../../../models/identity.ts";
import type { Queryable } from "../../db.ts";
import { newId } from "../../tools/ids.ts";
import { generateSecureRandomString, hashSecret, secretMatches } from "../sessions/tokens.ts";

export type EmailTokenKind = EmailToken["kind"];

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;
export const PASSWORD_RESET_TTL_MS = 3_600_000;

/**
 * Issues a single-use token for an e-mailed link. The token is `<row id>.<secret>`: the row is
 * found by its id and the secret compared in constant time against the stored SHA-256.
 * Earlier unused tokens of the same kind (and organisation) stop working.
 */
export function issueEmailToken(
  db: Queryable,
  input: {
    kind: EmailTokenKind;
    userId: string;
    orgId: string | null;
    role?: string | null;
    invitedBy?: string | null;
    ttlMs: number;
  },
  now = new Date(),
): { token: string; row: EmailToken } {
  revokeEmailTokens(db, input.userId, input.kind, input.orgId, now);
  const id = input.kind === "invitation" ? newId("ivt", now.getTime()) : `rst_${generateSecureRandomString(26)}`;
  const secret = generateSecureRandomString(32);
  const row = db
    .insert(emailTokens)
    .values({
      id,
      kind: input.kind,
      tokenHash: hashSecret(secret),
      userId: input.userId,
      orgId: input.orgId,
      role: input.role ?? null,
      invitedBy: input.invitedBy ?? null,
      expiresAt: new Date(now.getTime() + input.ttlMs),
      createdAt: now,
    })
    .returning()
    .get();
  return { token: `${id}.${secret}`, row };
}

/** The live token row behind `token`, or null: unknown, wrong secret, used or expired. */
export function findUsableEmailToken(
  db: Queryable,
  kind: EmailTokenKind,
  token: string | null | undefined,
  now = new Date(),
): EmailToken | null {
  if (!token || token.length > 128) return null;
  const [id, secret, extra] = token.split(".");
  if (!id || !secret || extra !== undefined) return null;
  const row = db
    .select()
    .from(emailTokens)
    .where(and(eq(emailTokens.id, id), eq(emailTokens.kind, kind)))
    .get();
  if (!row || !secretMatches(secret, row.tokenHash)) return null;
  if (row.usedAt || row.expiresAt <= now) return null;
  return row;
}

/** Marks one token used; false when it was used in the meantime (two tabs, a replay). */
export function consumeEmailToken(db: Queryable, id: string, now = new Date()): boolean {
  return (
    db
      .update(emailTokens)
      .set({ usedAt: now })
      .where(and(eq(emailTokens.id, id), isNull(emailTokens.usedAt)))
      .returning({ id: emailTokens.id })
      .all().length === 1
  );
}

/** Ends a person's unused tokens of one kind: in one organisation, or everywhere when `orgId` is undefined. */
export function revokeEmailTokens(
  db: Queryable,
  userId: string,
  kind: EmailTokenKind,
  orgId?: string | null,
  now = new Date(),
): void {
  const scope =
    orgId === undefined ? undefined : orgId === null ? isNull(emailTokens.orgId) : eq(emailTokens.orgId, orgId);
  db.update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.kind, kind), isNull(emailTokens.usedAt), scope))
    .run();
}
