import { users } from "../../models/identity.ts";
import type { Queryable } from "../db.ts";
import { newId } from "../tools/ids.ts";

// Crockford's letters and digits without the look-alikes: a code people can read out.
const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** "Erased person 7F3K": four random characters, enough to tell a few erased people apart. */
export function newPseudonym(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  const code = Array.from(bytes, (byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join("");
  return `Erased person ${code}`;
}

export type StandIn = { id: string; pseudonym: string };

/**
 * The row that stands in for an erased person in one organisation's records (time entries,
 * approvals, invoices keep a person's id and must stay): no e-mail of theirs, no password, no
 * membership, never able to sign in. One per organisation, so erased records of two
 * organisations cannot be linked through it.
 */
export function createStandIn(db: Queryable, now: Date): StandIn {
  const id = newId("usr", now.getTime());
  const pseudonym = newPseudonym();
  db.insert(users)
    .values({
      id,
      // Unique like every address, and in a reserved domain that can never receive mail.
      email: `${id}@erased.invalid`,
      name: pseudonym,
      passwordHash: null,
      status: "deactivated",
      homeOrgId: null,
      createdAt: now,
    })
    .run();
  return { id, pseudonym };
}
