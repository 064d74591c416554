import type { MailInbox } from "../../models/mail-inbound.ts";
import { grantKeyFor } from "../mail/oauth/grants.ts";
import { accessTokenFor, type GrantStore } from "../mail/oauth/tokens.ts";
import { inboxPassword } from "./settings.ts";

/** What imapflow signs in with: the password, or an OAuth access token (SASL XOAUTH2). */
export type ImapAuth = { user: string; pass: string } | { user: string; accessToken: string };

/**
 * The sign-in of an organisation's mailbox. With OAuth, the organisation's connected Google or
 * Microsoft grant supplies a fresh access token (refreshed before it runs out; `force` after the
 * server refused the last one). A grant that must be connected again throws GrantNeedsReconnect.
 */
export async function imapAuthFor(
  store: GrantStore,
  inbox: MailInbox,
  options: { force?: boolean } = {},
): Promise<ImapAuth> {
  if (inbox.authMethod !== "oauth") return { user: inbox.username, pass: inboxPassword(store.keyring, inbox) ?? "" };
  const accessToken = await accessTokenFor(store, grantKeyFor("inbound", inbox.orgId), options);
  return { user: inbox.username, accessToken };
}
