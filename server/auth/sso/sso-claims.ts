/** Who the provider says signed in, after the ID token's claims were checked. */
export type SsoIdentity = {
  subject: string;
  email: string | null;
  /** Only true when the provider vouches that the person owns the address. */
  emailVerified: boolean;
  name: string | null;
};

export type ClaimExpectations = {
  /** The issuer the token must name; Entra ID's multi-tenant issuers hold `{tenantid}`. */
  issuer: string;
  /** Other spellings the provider uses for itself (Google: `accounts.google.com`). */
  issuerAliases?: string[];
  clientId: string;
  nonce: string;
  now?: Date;
};

export class IdTokenClaimError extends Error {
  override name = "IdTokenClaimError";
}

// Clocks drift; a minute either way is the usual allowance.
const SKEW_SECONDS = 60;

/**
 * Checks an ID token's claims (OIDC Core 3.1.3.7): issuer, audience (and azp when there are
 * several audiences), expiry, issue time and nonce. The token came straight from the token
 * endpoint over TLS, which stands in for the signature (3.1.3.7 step 6); the claims are still
 * checked strictly. Throws IdTokenClaimError naming the claim that failed.
 */
export function checkIdTokenClaims(claims: Record<string, unknown>, expected: ClaimExpectations): SsoIdentity {
  const now = Math.floor((expected.now ?? new Date()).getTime() / 1000);
  const issuer = expected.issuer.includes("{tenantid}")
    ? expected.issuer.replace("{tenantid}", typeof claims.tid === "string" ? claims.tid : "\0")
    : expected.issuer;
  if (claims.iss !== issuer && !(typeof claims.iss === "string" && expected.issuerAliases?.includes(claims.iss)))
    throw new IdTokenClaimError("The ID token was issued by another issuer (iss).");

  const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
  if (!audiences.includes(expected.clientId))
    throw new IdTokenClaimError("The ID token is meant for another client (aud).");
  if (audiences.length > 1 && claims.azp !== expected.clientId) {
    throw new IdTokenClaimError("The ID token names another authorised party (azp).");
  }
  if (claims.azp !== undefined && claims.azp !== expected.clientId) {
    throw new IdTokenClaimError("The ID token names another authorised party (azp).");
  }
  if (typeof claims.exp !== "number" || claims.exp + SKEW_SECONDS <= now) {
    throw new IdTokenClaimError("The ID token has expired (exp).");
  }
  if (typeof claims.iat !== "number" || claims.iat - SKEW_SECONDS > now) {
    throw new IdTokenClaimError("The ID token was issued in the future (iat).");
  }
  if (claims.nonce !== expected.nonce) throw new IdTokenClaimError("The ID token answers another sign-in (nonce).");
  if (typeof claims.sub !== "string" || claims.sub.length === 0 || claims.sub.length > 255) {
    throw new IdTokenClaimError("The ID token names nobody (sub).");
  }
  return { subject: claims.sub, ...profileOf(claims) };
}

/** E-mail and name from ID token or userinfo claims. Entra ID vouches for a domain with `xms_edov`. */
export function profileOf(claims: Record<string, unknown>): Omit<SsoIdentity, "subject"> {
  const email =
    typeof claims.email === "string" && claims.email.includes("@") ? claims.email.trim().toLowerCase() : null;
  const vouched = (value: unknown) => value === true || value === "true";
  return {
    email,
    emailVerified: email !== null && (vouched(claims.email_verified) || vouched(claims.xms_edov)),
    name: typeof claims.name === "string" && claims.name.trim() ? claims.name.trim().slice(0, 120) : null,
  };
}
