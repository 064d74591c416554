import {
  CodeChallengeMethod,
  decodeIdToken,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2RequestError,
  type OAuth2Tokens,
} from "arctic";
import type { MailOAuthProvider } from "../../../models/mail-oauth.ts";
import { type GrantPurpose, grantScopes, oauthEndpoints, providerLabels } from "./endpoints.ts";
import { findGrant, grantClientSecret, saveGrantClient, storeTokens } from "./grants.ts";
import { expiryOf, type GrantStore } from "./tokens.ts";

/** The one redirect URL of every mail grant, to register with the Google or Microsoft app. */
export const MAIL_OAUTH_CALLBACK_PATH = "/settings/mail-oauth/callback";
export const mailOAuthCallbackUrl = (baseUrl: string) => `${baseUrl.replace(/\/$/, "")}${MAIL_OAUTH_CALLBACK_PATH}`;

/** What the browser must bring back to the callback, kept in a short-lived cookie. */
export type MailOAuthFlow = { key: string; state: string; codeVerifier: string };

export type ConnectRequest = {
  key: string;
  orgId: string | null;
  purpose: GrantPurpose;
  provider: MailOAuthProvider;
  tenant: string | null;
  clientId: string;
  clientSecret: string;
  /** The mailbox's address, offered to the provider's account picker. */
  loginHint: string | null;
};

/** A connection that could not be completed; the message is safe to show. */
export class MailOAuthConnectError extends Error {
  override name = "MailOAuthConnectError";
}

/** Stores the app and answers the provider's authorisation URL (state and an S256 PKCE challenge) and the flow. */
export function beginMailOAuth(
  store: GrantStore,
  request: ConnectRequest,
  baseUrl: string,
): { url: URL; flow: MailOAuthFlow } {
  const scopes = grantScopes(request.provider, request.purpose);
  saveGrantClient(store.db, store.keyring, { ...request, scopes });
  const flow: MailOAuthFlow = { key: request.key, state: generateState(), codeVerifier: generateCodeVerifier() };
  const client = new OAuth2Client(request.clientId, null, mailOAuthCallbackUrl(baseUrl));
  const { authorizationEndpoint } = oauthEndpoints(request.provider, request.tenant, store.endpoints);
  const url = client.createAuthorizationURLWithPKCE(
    authorizationEndpoint,
    flow.state,
    CodeChallengeMethod.S256,
    flow.codeVerifier,
    scopes,
  );
  if (request.provider === "google") {
    // Without both, Google hands out a refresh token only on the very first consent.
    url.searchParams.set("access_type", "offline");
    url.searchParams.set("prompt", "consent");
  } else {
    url.searchParams.set("prompt", "select_account");
  }
  if (request.loginHint) url.searchParams.set("login_hint", request.loginHint);
  return { url, flow };
}

/** Exchanges the code (with the PKCE verifier) for tokens and seals them; answers the connected address. */
export async function finishMailOAuth(
  store: GrantStore,
  flow: MailOAuthFlow,
  code: string,
  baseUrl: string,
): Promise<string | null> {
  const grant = findGrant(store.db, flow.key);
  if (!grant) throw new MailOAuthConnectError("The connection was removed meanwhile. Start again.");
  const label = providerLabels[grant.provider];
  const client = new OAuth2Client(
    grant.clientId,
    grantClientSecret(store.keyring, grant),
    mailOAuthCallbackUrl(baseUrl),
  );
  const { tokenEndpoint } = oauthEndpoints(grant.provider, grant.tenant, store.endpoints);
  let tokens: OAuth2Tokens;
  try {
    tokens = await client.validateAuthorizationCode(tokenEndpoint, code, flow.codeVerifier);
  } catch (error) {
    const said = error instanceof OAuth2RequestError ? error.code.replace(/[^\w.-]/g, "").slice(0, 60) : "no answer";
    throw new MailOAuthConnectError(`${label} did not accept the connection (${said}). Start again.`);
  }
  if (!tokens.hasRefreshToken())
    throw new MailOAuthConnectError(
      `${label} sent no refresh token, so Opsbox could not keep the connection. Remove Opsbox's access in the account's security settings and connect again.`,
    );
  const account = accountOf(tokens);
  storeTokens(store.db, store.keyring, grant.key, {
    accessToken: tokens.accessToken(),
    refreshToken: tokens.refreshToken(),
    expiresAt: expiryOf(tokens),
    account,
  });
  return account;
}

/**
 * The address the ID token names (shown, never trusted for access: the token came straight from
 * the token endpoint over TLS, so its signature is not checked here).
 */
function accountOf(tokens: OAuth2Tokens): string | null {
  try {
    const claims = decodeIdToken(tokens.idToken()) as Record<string, unknown>;
    const address = claims.email ?? claims.preferred_username ?? claims.upn;
    return typeof address === "string" ? address.slice(0, 320) : null;
  } catch {
    return null;
  }
}
