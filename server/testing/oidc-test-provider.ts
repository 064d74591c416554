import type { Server } from "node:http";
import { Provider } from "oidc-provider";
import { freePort } from "./harness.ts";

export type TestAccount = { email?: string; email_verified?: boolean; name?: string };

export type TestOidcProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Errors the provider raised at its token endpoint (`invalid_grant` for a wrong PKCE verifier). */
  grantErrors: string[];
  close: () => Promise<void>;
};

/**
 * A real OpenID provider (panva's oidc-provider) on 127.0.0.1: one confidential client that
 * must use PKCE, the given accounts (login name → claims) and the development login and
 * consent pages, which tests drive over HTTP with signInAtProvider().
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts: Record<string, TestAccount>;
  clientSecret?: string;
  /** false: e-mail and name only at the userinfo endpoint, as Zitadel does by default. */
  claimsInIdToken?: boolean;
}): Promise<TestOidcProvider> {
  const port = freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "opsbox-test";
  const clientSecret = options.clientSecret ?? "test-client-secret";
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    pkce: { required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Google, Entra ID and Keycloak put the e-mail in the ID token itself.
    conformIdTokenClaims: options.claimsInIdToken === false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["opsbox-test-provider-cookie-key"] },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx: unknown, id: string) => {
      const account = options.accounts[id];
      return account ? { accountId: id, claims: () => ({ sub: id, ...account }) } : undefined;
    },
  });
  const grantErrors: string[] = [];
  provider.on("grant.error", (_ctx, error) => grantErrors.push(String((error as { error?: string }).error)));
  const server: Server = await new Promise((resolve) => {
    const listening = provider.listen(port, "127.0.0.1", () => resolve(listening));
  });
  return {
    issuer,
    clientId,
    clientSecret,
    grantErrors,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Follows an authorisation URL through the provider's login and consent pages as `login`,
 * like a browser with its own cookie jar, and returns where the provider sends the browser
 * back (the Opsbox callback URL with `code` and `state`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const request = async (url: URL, init: RequestInit = {}) => {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const response = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as object), Cookie: cookie },
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(";")[0] ?? "";
      const at = pair.indexOf("=");
      jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return response;
  };
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let step = 0; step < 12; step += 1) {
    const response = await request(url);
    const location = response.headers.get("Location");
    if (!location) throw new Error(`the provider stopped at ${url.pathname} with ${response.status}`);
    url = new URL(location, url);
    if (url.origin !== origin) return url;
    if (url.pathname.startsWith("/interaction/")) {
      const html = await (await request(url)).text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`no form at ${url.pathname}`);
      const form = html.includes('name="prompt" value="login"')
        ? `prompt=login&login=${encodeURIComponent(login)}&password=anything`
        : "prompt=consent";
      const answer = await request(new URL(action, url), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form,
      });
      url = new URL(answer.headers.get("Location") ?? "", url);
      if (url.origin !== origin) return url;
    }
  }
  throw new Error("the provider never sent the browser back");
}
