import {
  CodeChallengeMethod,
  decodeIdToken,
  generateCodeVerifier,
  generateState,
  OAuth2Client,
  OAuth2Tokens,
} from "arctic";
import { and, eq } from "drizzle-orm";
import { type SsoProvider, ssoProviders } from "../../../models/identity.ts";
import type { Db } from "../../db.ts";
import { fetchOutbound, OutboundRequestError } from "../../outbound/outbound-fetch.ts";
import { decryptSecret, type Keyring } from "../../tools/secrets.ts";
import { discoverOidcEndpoints, type OidcEndpoints } from "./oidc-discovery.ts";
import { checkIdTokenClaims, IdTokenClaimError, profileOf, type SsoIdentity } from "./sso-claims.ts";
import { ssoCallbackUrl, ssoSecretContext } from "./sso-providers.ts";

const SCOPES = ["openid", "email", "profile"];

/** A sign-in that failed between the provider and Opsbox; the message is safe to show. */
export class SsoSignInError extends Error {
  override name = "SsoSignInError";
  constructor(
    readonly reason: "provider_unavailable" | "token_refused" | "invalid_id_token",
    message: string,
  ) {
    super(message);
  }
}

export type SsoOptions = { baseUrl: string; allowedPrivateHosts: readonly string[] };

/** What the browser must bring back to the callback: kept in a short-lived cookie. */
export type SsoFlow = { state: string; codeVerifier: string; nonce: string };

/** An enabled provider by id, from any organisation (the sign-in page comes before one is chosen). */
export function findEnabledSsoProvider(db: Db, id: string): SsoProvider | null {
  return (
    db
      .select()
      .from(ssoProviders)
      .where(and(eq(ssoProviders.id, id), eq(ssoProviders.enabled, true)))
      .get() ?? null
  );
}

async function endpointsOf(provider: SsoProvider, options: SsoOptions): Promise<OidcEndpoints> {
  return discoverOidcEndpoints(provider.issuer, {
    microsoft: provider.kind === "microsoft",
    allowedPrivateHosts: options.allowedPrivateHosts,
  });
}

/** The provider's authorisation URL with state, nonce and an S256 PKCE challenge, and the flow to remember. */
export async function beginSsoSignIn(provider: SsoProvider, options: SsoOptions): Promise<{ url: URL; flow: SsoFlow }> {
  const endpoints = await endpointsOf(provider, options);
  const flow: SsoFlow = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateState() };
  const client = new OAuth2Client(provider.clientId, null, ssoCallbackUrl(options.baseUrl, provider.id));
  const url = client.createAuthorizationURLWithPKCE(
    endpoints.authorizationEndpoint,
    flow.state,
    CodeChallengeMethod.S256,
    flow.codeVerifier,
    SCOPES,
  );
  url.searchParams.set("nonce", flow.nonce);
  if (provider.kind !== "oidc") url.searchParams.set("prompt", "select_account");
  return { url, flow };
}

/**
 * Exchanges the code (with the PKCE verifier) at the token endpoint and checks the ID token's
 * claims. When the ID token carries no e-mail (Zitadel's default), the userinfo endpoint is
 * asked, and must speak for the same subject.
 */
export async function finishSsoSignIn(
  keyring: Keyring,
  provider: SsoProvider,
  input: { code: string; flow: SsoFlow },
  options: SsoOptions,
): Promise<SsoIdentity> {
  const endpoints = await endpointsOf(provider, options);
  const secret = decryptSecret(keyring, provider.clientSecretEncrypted, ssoSecretContext(provider.id));
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: input.code,
    redirect_uri: ssoCallbackUrl(options.baseUrl, provider.id),
    code_verifier: input.flow.codeVerifier,
  });
  // RFC 6749 2.3.1: both halves form-encoded before Base64.
  const basic = btoa(`${encodeURIComponent(provider.clientId)}:${encodeURIComponent(secret)}`);
  const response = await outbound(endpoints.tokenEndpoint, options, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      Accept: "application/json",
      Authorization: `Basic ${basic}`,
    },
    body: body.toString(),
  });
  const data = parseJsonObject(response.text());
  if (response.status !== 200 || !data) {
    const code = typeof data?.error === "string" ? data.error.slice(0, 60) : `HTTP ${response.status}`;
    throw new SsoSignInError(
      "token_refused",
      `${provider.name} did not accept the sign-in (${code}). Please try again.`,
    );
  }
  let claims: Record<string, unknown>;
  let tokens: OAuth2Tokens;
  try {
    tokens = new OAuth2Tokens(data);
    claims = decodeIdToken(tokens.idToken()) as Record<string, unknown>;
  } catch {
    throw new SsoSignInError("invalid_id_token", `${provider.name} sent no readable ID token.`);
  }
  let identity: SsoIdentity;
  try {
    identity = checkIdTokenClaims(claims, {
      issuer: provider.kind === "microsoft" ? endpoints.issuer : provider.issuer,
      // Google's own documentation allows both spellings of its issuer.
      issuerAliases: provider.kind === "google" ? ["accounts.google.com"] : [],
      clientId: provider.clientId,
      nonce: input.flow.nonce,
    });
  } catch (error) {
    if (error instanceof IdTokenClaimError) throw new SsoSignInError("invalid_id_token", error.message);
    throw error;
  }
  if (identity.email || !endpoints.userinfoEndpoint) return identity;
  return { ...identity, ...(await userinfoProfile(endpoints.userinfoEndpoint, tokens, identity.subject, options)) };
}

async function userinfoProfile(url: string, tokens: OAuth2Tokens, subject: string, options: SsoOptions) {
  let accessToken: string;
  try {
    accessToken = tokens.accessToken();
  } catch {
    return {};
  }
  const response = await outbound(url, options, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/json" },
  });
  const data = response.status === 200 ? parseJsonObject(response.text()) : null;
  // OIDC Core 5.3.2: a userinfo answer for another subject must not be used.
  if (!data || data.sub !== subject) return {};
  return profileOf(data);
}

async function outbound(url: string, options: SsoOptions, init: Parameters<typeof fetchOutbound>[1]) {
  try {
    return await fetchOutbound(url, {
      ...init,
      allowedPrivateHosts: options.allowedPrivateHosts,
      maxBytes: 256 * 1024,
    });
  } catch (error) {
    if (error instanceof OutboundRequestError) throw new SsoSignInError("provider_unavailable", error.message);
    throw error;
  }
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
