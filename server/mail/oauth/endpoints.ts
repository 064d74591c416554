import type { MailOAuthProvider } from "../../../models/mail-oauth.ts";

/** What a grant is for: the box's sending mailbox, or an organisation's inbound mailbox (IMAP). */
export type GrantPurpose = "send" | "inbound";

/** Where a provider's authorisation page and token endpoint are. */
export type OAuthEndpoints = { authorizationEndpoint: string; tokenEndpoint: string };

/** Tests only: local servers in place of Google's and Microsoft's endpoints. */
export type OAuthEndpointOverrides = Partial<Record<MailOAuthProvider, OAuthEndpoints>>;

/**
 * The documented endpoints, as arctic's `Google` and `MicrosoftEntraId` use them (arctic's
 * `OAuth2Client` is driven with them here so that tests can name local servers instead).
 */
export function oauthEndpoints(
  provider: MailOAuthProvider,
  tenant: string | null,
  overrides: OAuthEndpointOverrides = {},
): OAuthEndpoints {
  const override = overrides[provider];
  if (override) return override;
  if (provider === "google")
    return {
      authorizationEndpoint: "https://accounts.google.com/o/oauth2/v2/auth",
      tokenEndpoint: "https://oauth2.googleapis.com/token",
    };
  const directory = encodeURIComponent(tenant || "common");
  return {
    authorizationEndpoint: `https://login.microsoftonline.com/${directory}/oauth2/v2.0/authorize`,
    tokenEndpoint: `https://login.microsoftonline.com/${directory}/oauth2/v2.0/token`,
  };
}

/**
 * The scopes a grant asks for. Sending: Gmail's send-only scope, or Graph's Mail.Send. Inbound:
 * full IMAP access (Google has no narrower IMAP scope). A Microsoft token is good for one
 * resource only, so sending (Graph) and IMAP (outlook.office.com) are separate grants;
 * `offline_access` (Microsoft) and `access_type=offline` (Google) bring the refresh token.
 */
export function grantScopes(provider: MailOAuthProvider, purpose: GrantPurpose): string[] {
  const identity = ["openid", "email"];
  if (provider === "google")
    return [
      ...identity,
      purpose === "send" ? "https://www.googleapis.com/auth/gmail.send" : "https://mail.google.com/",
    ];
  return [
    ...identity,
    "offline_access",
    purpose === "send" ? "https://graph.microsoft.com/Mail.Send" : "https://outlook.office.com/IMAP.AccessAsUser.All",
  ];
}

export const providerLabels: Record<MailOAuthProvider, string> = { google: "Google", microsoft: "Microsoft" };
