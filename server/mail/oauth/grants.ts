import { eq } from "drizzle-orm";
import { type MailOAuthGrant, type MailOAuthProvider, mailOAuthGrants } from "../../../models/mail-oauth.ts";
import type { Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { decryptSecret, encryptSecret, type Keyring } from "../../tools/secrets.ts";
import type { GrantPurpose } from "./endpoints.ts";

/** The grant the box's Gmail and Outlook providers send with. */
export const SENDING_GRANT = "send";

/** The box's sending mailbox has one grant; each organisation's inbound mailbox its own. */
export function grantKeyFor(purpose: GrantPurpose, orgId: string | null): string {
  if (purpose === "send") return SENDING_GRANT;
  if (!orgId) throw new Error("an inbound grant belongs to an organisation");
  return `inbound:${orgId}`;
}

/** The keyring context of one sealed field of one grant: a ciphertext cannot be moved to another. */
export const grantSecretContext = (key: string, field: "client_secret" | "access_token" | "refresh_token") =>
  `mail_oauth.${field}:${key}`;

export function findGrant(db: Queryable, key: string): MailOAuthGrant | null {
  return db.select().from(mailOAuthGrants).where(eq(mailOAuthGrants.key, key)).get() ?? null;
}

export type GrantClient = {
  key: string;
  orgId: string | null;
  provider: MailOAuthProvider;
  tenant: string | null;
  clientId: string;
  /** Empty keeps the stored one, for the same provider, directory and client id only. */
  clientSecret: string;
  scopes: string[];
};

/**
 * Stores the app an admin entered before the browser goes to the provider. The same app keeps
 * its connected tokens until the new ones arrive; another app (or provider) starts over.
 */
export function saveGrantClient(db: Queryable, keyring: Keyring, client: GrantClient, now = new Date()): void {
  const current = findGrant(db, client.key);
  const sameApp =
    current !== null &&
    current.provider === client.provider &&
    current.tenant === client.tenant &&
    current.clientId === client.clientId;
  const clientSecretEncrypted = client.clientSecret
    ? encryptSecret(keyring, client.clientSecret, grantSecretContext(client.key, "client_secret"))
    : sameApp
      ? current.clientSecretEncrypted
      : null;
  if (!clientSecretEncrypted)
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "clientSecret", message: "Enter the client secret." },
    ]);
  const app = {
    orgId: client.orgId,
    provider: client.provider,
    tenant: client.tenant,
    clientId: client.clientId,
    clientSecretEncrypted,
    scopes: client.scopes.join(" "),
    updatedAt: now,
  };
  const reset = sameApp
    ? {}
    : {
        account: null,
        accessTokenEncrypted: null,
        refreshTokenEncrypted: null,
        accessTokenExpiresAt: null,
        state: "pending" as const,
        lastError: null,
        connectedAt: null,
      };
  db.insert(mailOAuthGrants)
    .values({ key: client.key, ...app, ...reset })
    .onConflictDoUpdate({ target: mailOAuthGrants.key, set: { ...app, ...reset } })
    .run();
}

export function grantClientSecret(keyring: Keyring, grant: MailOAuthGrant): string {
  return decryptSecret(keyring, grant.clientSecretEncrypted, grantSecretContext(grant.key, "client_secret"));
}

export type IssuedTokens = {
  accessToken: string;
  /** Null when the provider kept the old one (Google's refreshes). */
  refreshToken: string | null;
  expiresAt: Date;
  /** The account's address, when the answer carried an ID token naming it. */
  account?: string | null;
};

/** Seals fresh tokens; the grant is connected (again) and its last error cleared. */
export function storeTokens(db: Queryable, keyring: Keyring, key: string, tokens: IssuedTokens, now = new Date()) {
  db.update(mailOAuthGrants)
    .set({
      accessTokenEncrypted: encryptSecret(keyring, tokens.accessToken, grantSecretContext(key, "access_token")),
      ...(tokens.refreshToken
        ? {
            refreshTokenEncrypted: encryptSecret(
              keyring,
              tokens.refreshToken,
              grantSecretContext(key, "refresh_token"),
            ),
          }
        : {}),
      ...(tokens.account ? { account: tokens.account } : {}),
      accessTokenExpiresAt: tokens.expiresAt,
      state: "connected",
      lastError: null,
      ...(tokens.account !== undefined ? { connectedAt: now } : {}),
      updatedAt: now,
    })
    .where(eq(mailOAuthGrants.key, key))
    .run();
}

/** The sealed tokens, opened in memory; null for a grant that never got them. */
export function grantTokens(keyring: Keyring, grant: MailOAuthGrant) {
  if (!grant.accessTokenEncrypted || !grant.refreshTokenEncrypted) return null;
  return {
    accessToken: decryptSecret(keyring, grant.accessTokenEncrypted, grantSecretContext(grant.key, "access_token")),
    refreshToken: decryptSecret(keyring, grant.refreshTokenEncrypted, grantSecretContext(grant.key, "refresh_token")),
    expiresAt: grant.accessTokenExpiresAt ?? new Date(0),
  };
}

/** The provider refused the grant: mail through it waits until an admin connects the account again. */
export function markGrantReconnect(db: Queryable, key: string, reason: string, now = new Date()): void {
  db.update(mailOAuthGrants)
    .set({ state: "reconnect", lastError: reason, updatedAt: now })
    .where(eq(mailOAuthGrants.key, key))
    .run();
}

export function deleteGrant(db: Queryable, key: string): boolean {
  return db.delete(mailOAuthGrants).where(eq(mailOAuthGrants.key, key)).returning().all().length > 0;
}

/** A grant as pages and the API show it: never a secret or a token. */
export type GrantView = {
  provider: MailOAuthProvider;
  tenant: string | null;
  clientId: string;
  account: string | null;
  state: MailOAuthGrant["state"];
  lastError: string | null;
  connectedAt: string | null;
};

export function grantViewOf(grant: MailOAuthGrant | null): GrantView | null {
  if (!grant) return null;
  return {
    provider: grant.provider,
    tenant: grant.tenant,
    clientId: grant.clientId,
    account: grant.account,
    state: grant.state,
    lastError: grant.lastError,
    connectedAt: grant.connectedAt?.toISOString() ?? null,
  };
}
