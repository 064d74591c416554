import { ArcticFetchError, OAuth2Client, OAuth2RequestError, type OAuth2Tokens, UnexpectedResponseError } from "arctic";
import type { MailOAuthGrant } from "../../../models/mail-oauth.ts";
import type { Queryable } from "../../db.ts";
import type { Keyring } from "../../tools/secrets.ts";
import { type OAuthEndpointOverrides, oauthEndpoints, providerLabels } from "./endpoints.ts";
import { findGrant, grantClientSecret, grantTokens, markGrantReconnect, storeTokens } from "./grants.ts";

/** What the token supply needs: the database the grants are in, the keyring, and (tests) local endpoints. */
export type GrantStore = { db: Queryable; keyring: Keyring; endpoints?: OAuthEndpointOverrides };

/** The grant is missing, revoked or expired: an admin must connect the account again. Mail waits. */
export class GrantNeedsReconnect extends Error {
  override name = "GrantNeedsReconnect";
}

/** The token endpoint could not be reached or answered oddly: worth another try later. */
export class TokenRefreshUnavailable extends Error {
  override name = "TokenRefreshUnavailable";
}

// Refreshed this long before it runs out, so that a token never expires on the way.
const EXPIRY_MARGIN_MS = 2 * 60_000;
const refreshing = new Map<string, Promise<string>>();

/**
 * A usable access token of grant `key`: the stored one while it has time left, otherwise a fresh
 * one from the refresh token (sealed back into the database). `force` refreshes regardless: the
 * API answered 401 to the stored one. Concurrent callers share one refresh.
 */
export async function accessTokenFor(store: GrantStore, key: string, options: { force?: boolean } = {}) {
  const grant = findGrant(store.db, key);
  if (grant?.state !== "connected") throw new GrantNeedsReconnect(reconnectReason(grant));
  const tokens = grantTokens(store.keyring, grant);
  if (!tokens) throw new GrantNeedsReconnect(reconnectReason(grant));
  if (!options.force && tokens.expiresAt.getTime() - Date.now() > EXPIRY_MARGIN_MS) return tokens.accessToken;
  const running = refreshing.get(key);
  if (running) return running;
  const refresh = refreshGrant(store, grant, tokens.refreshToken).finally(() => refreshing.delete(key));
  refreshing.set(key, refresh);
  return refresh;
}

function reconnectReason(grant: MailOAuthGrant | null): string {
  if (!grant) return "No account is connected.";
  if (grant.state === "reconnect" && grant.lastError) return grant.lastError;
  return `The ${providerLabels[grant.provider]} account is not connected yet.`;
}

async function refreshGrant(store: GrantStore, grant: MailOAuthGrant, refreshToken: string): Promise<string> {
  const endpoints = oauthEndpoints(grant.provider, grant.tenant, store.endpoints);
  const client = new OAuth2Client(grant.clientId, grantClientSecret(store.keyring, grant), null);
  // Microsoft wants the scopes again on a refresh; Google keeps those of the grant.
  const scopes = grant.provider === "microsoft" ? grant.scopes.split(" ") : [];
  let issued: OAuth2Tokens;
  try {
    issued = await client.refreshAccessToken(endpoints.tokenEndpoint, refreshToken, scopes);
  } catch (error) {
    throw refreshFailure(store, grant, error);
  }
  const accessToken = issued.accessToken();
  storeTokens(store.db, store.keyring, grant.key, {
    accessToken,
    refreshToken: issued.hasRefreshToken() ? issued.refreshToken() : null,
    expiresAt: expiryOf(issued),
  });
  return accessToken;
}

/** invalid_grant (revoked, expired, password changed) and a refused client need an admin; the rest is temporary. */
function refreshFailure(store: GrantStore, grant: MailOAuthGrant, error: unknown): Error {
  const label = providerLabels[grant.provider];
  if (
    error instanceof OAuth2RequestError &&
    ["invalid_grant", "invalid_client", "unauthorized_client"].includes(error.code)
  ) {
    const reason = `${label} refused the stored sign-in (${error.code}): connect the account again in Settings.`;
    markGrantReconnect(store.db, grant.key, reason);
    return new GrantNeedsReconnect(reason);
  }
  if (error instanceof OAuth2RequestError)
    return new TokenRefreshUnavailable(`${label} refused to refresh the access token (${error.code}).`);
  if (error instanceof UnexpectedResponseError)
    return new TokenRefreshUnavailable(`${label}'s token endpoint answered HTTP ${error.status}.`);
  if (error instanceof ArcticFetchError)
    return new TokenRefreshUnavailable(`${label}'s token endpoint cannot be reached.`);
  return new TokenRefreshUnavailable(`${label}'s token endpoint gave an unreadable answer.`);
}

/** When the access token runs out; an answer without `expires_in` is taken as one hour (both providers' default). */
export function expiryOf(tokens: OAuth2Tokens): Date {
  try {
    return tokens.accessTokenExpiresAt();
  } catch {
    return new Date(Date.now() + 3_600_000);
  }
}
