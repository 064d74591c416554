import { z } from "zod";
import { AppError } from "../../http/errors.ts";
import { fetchOutbound, normalizeHostName, OutboundRequestError } from "../../outbound/outbound-fetch.ts";

/** What Opsbox needs from a provider's discovery document. */
export type OidcEndpoints = {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
};

const metadata = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url().optional(),
});

// Short enough that a provider's key or endpoint change is picked up within minutes.
const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { expiresAt: number; endpoints: OidcEndpoints }>();

/** Only https, except for hosts an admin allowed (an on-prem provider, tests on loopback). */
export function assertProviderUrl(url: string, allowedPrivateHosts: readonly string[]): void {
  const parsed = new URL(url);
  if (parsed.protocol === "https:") return;
  if (parsed.protocol === "http:" && allowedPrivateHosts.includes(normalizeHostName(parsed.hostname))) return;
  throw new AppError(
    "unavailable",
    `The single sign-on provider must be reached over https: plain http is only for hosts an admin allowed on ` +
      `the private network, and ${parsed.hostname} is not one.`,
  );
}

/**
 * Reads `<issuer>/.well-known/openid-configuration` through the guarded outbound fetch and
 * checks that it speaks for the issuer configured (OIDC Discovery 4.3). Entra ID announces
 * its tenant's GUID even when a domain name was configured, so for it any
 * login.microsoftonline.com v2.0 issuer is taken and the ID token is held to that one.
 */
export async function discoverOidcEndpoints(
  issuer: string,
  options: { microsoft: boolean; allowedPrivateHosts: readonly string[]; now?: number },
): Promise<OidcEndpoints> {
  const now = options.now ?? Date.now();
  // The allow-list is part of the key: once an admin withdraws a host, nothing cached bypasses the check.
  const key = `${issuer} ${[...options.allowedPrivateHosts].sort().join(",")}`;
  const cached = cache.get(key);
  if (cached && cached.expiresAt > now) return cached.endpoints;

  assertProviderUrl(issuer, options.allowedPrivateHosts);
  const url = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  let document: unknown;
  try {
    const response = await fetchOutbound(url, {
      headers: { Accept: "application/json" },
      allowedPrivateHosts: options.allowedPrivateHosts,
      maxBytes: 256 * 1024,
    });
    if (response.status !== 200)
      throw new AppError("unavailable", `The provider's discovery document answered ${response.status}.`);
    document = response.json();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof OutboundRequestError ? error.message : "its discovery document is not JSON.";
    throw new AppError("unavailable", `Could not read the single sign-on provider's settings: ${reason}`);
  }
  const parsed = metadata.safeParse(document);
  if (!parsed.success) throw new AppError("unavailable", "The provider's discovery document lacks its endpoints.");
  const found = parsed.data;
  const sameIssuer = options.microsoft
    ? /^https:\/\/login\.microsoftonline\.com\/[^/]+\/v2\.0$/.test(found.issuer)
    : found.issuer === issuer;
  if (!sameIssuer) {
    throw new AppError("unavailable", `The provider's discovery document speaks for another issuer (${found.issuer}).`);
  }
  for (const endpoint of [found.authorization_endpoint, found.token_endpoint, found.userinfo_endpoint]) {
    if (endpoint) assertProviderUrl(endpoint, options.allowedPrivateHosts);
  }
  const endpoints: OidcEndpoints = {
    issuer: found.issuer,
    authorizationEndpoint: found.authorization_endpoint,
    tokenEndpoint: found.token_endpoint,
    userinfoEndpoint: found.userinfo_endpoint ?? null,
  };
  cache.set(key, { expiresAt: now + CACHE_MS, endpoints });
  return endpoints;
}

/** Forgets every provider's endpoints (after a provider changed). */
export function forgetOidcEndpoints(): void {
  cache.clear();
}
