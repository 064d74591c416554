import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { MailInbox } from "../../models/mail-inbound.ts";
import type { Db } from "../db.ts";
import { isNonPublicAddress } from "../outbound/address-ranges.ts";
import { findOrganizationPrivateHosts } from "../outbound/outbound-hosts.ts";

/** Where to connect: the checked address, and the name TLS verifies (none for an IP literal). */
export type ConnectionTarget = { address: string; servername: string | null };

/** A mailbox host that may not be reached from this box; the worker shows the message. */
export class InboxHostRefused extends Error {
  override name = "InboxHostRefused";
}

/**
 * Resolves the mailbox's host like every outbound request (server/outbound/): every address must
 * be public unless the instance admin allowed this host for this organisation, so no
 * organisation's admin can point the box into its own network. The connection then goes to the
 * checked address, so a second DNS answer cannot swap in another.
 */
export async function connectionTarget(db: Db, inbox: MailInbox): Promise<ConnectionTarget> {
  const literal = isIP(inbox.host) !== 0;
  const addresses = literal
    ? [inbox.host]
    : (await lookup(inbox.host, { all: true, verbatim: true })).map((entry) => entry.address);
  const first = addresses[0];
  if (!first) throw new InboxHostRefused(`The host name ${inbox.host} has no address.`);
  if (addresses.some(isNonPublicAddress) && !findOrganizationPrivateHosts(db, inbox.orgId).includes(inbox.host)) {
    throw new InboxHostRefused(
      `${inbox.host} is a private or loopback address; the box's instance admin must allow it for this organisation (Settings → Single sign-on, providers on your own network).`,
    );
  }
  return { address: first, servername: literal ? null : inbox.host };
}
