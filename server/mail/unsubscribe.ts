import { eq } from "drizzle-orm";
import { organizations } from "../../models/identity.ts";
import type { SuppressionSource } from "../../models/mail-suppressions.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Keyring } from "../tools/secrets.ts";
import { checkUnsubscribeToken } from "../tools/unsubscribe-token.ts";
import { isUnsubscribed, suppressAddress } from "./suppression.ts";

/** What an unsubscribe link says: whose mail and which address, whether it is already off; or why it does not work. */
export type UnsubscribeLink =
  | { ok: true; orgId: string | null; organization: string | null; address: string; unsubscribed: boolean }
  | { ok: false; refused: "malformed" | "forged" | "expired" };

/** Reads an unsubscribe link's token (signed, not expired; an organisation deleted since makes it void). */
export function readUnsubscribeLink(
  deps: { db: Queryable; keyring: Keyring },
  token: string,
  now = new Date(),
): UnsubscribeLink {
  const check = checkUnsubscribeToken(deps.keyring, token, now);
  if (!check.ok) return check;
  const { orgId, address } = check.target;
  const organization = orgId
    ? deps.db.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, orgId)).get()
    : null;
  if (orgId && !organization) return { ok: false, refused: "forged" };
  return {
    ok: true,
    orgId,
    organization: organization?.name ?? null,
    address,
    unsubscribed: isUnsubscribed(deps.db, orgId, address),
  };
}

/**
 * Unsubscribes the link's address from its organisation's non-essential mail (the page's button,
 * or a mail client's RFC 8058 one-click POST). Doing it twice changes nothing. The log names the
 * organisation, never the address or the token.
 */
export function unsubscribeByLink(
  deps: { db: Queryable; keyring: Keyring; log: Logger },
  token: string,
  source: Extract<SuppressionSource, "unsubscribe_page" | "one_click">,
  now = new Date(),
): UnsubscribeLink {
  const link = readUnsubscribeLink(deps, token, now);
  if (!link.ok) return link;
  const added = suppressAddress(
    deps.db,
    { orgId: link.orgId, address: link.address, reason: "unsubscribed", source },
    now,
  );
  if (added) deps.log.info({ orgId: link.orgId, source }, "an address unsubscribed from non-essential e-mail");
  return { ...link, unsubscribed: true };
}
