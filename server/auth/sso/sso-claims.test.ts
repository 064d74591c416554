import { describe, expect, test } from "bun:test";
import { checkIdTokenClaims, IdTokenClaimError } from "./sso-claims.ts";

const now = new Date("2025-06-01T12:00:00Z");
const seconds = Math.floor(now.getTime() / 1000);
const expected = { issuer: "https://idp.acme.test", clientId: "opsbox", nonce: "n-123", now };
const valid = {
  iss: "https://idp.acme.test",
  aud: "opsbox",
  sub: "user-1",
  exp: seconds + 300,
  iat: seconds - 5,
  nonce: "n-123",
  email: "Ada@Acme.Test",
  email_verified: true,
  name: "Ada",
};

describe("ID token claims", () => {
  test("valid claims give the subject, the lower-cased e-mail and whether it is vouched for", () => {
    expect(checkIdTokenClaims(valid, expected)).toEqual({
      subject: "user-1",
      email: "ada@acme.test",
      emailVerified: true,
      name: "Ada",
    });
    expect(checkIdTokenClaims({ ...valid, email_verified: "false" }, expected).emailVerified).toBe(false);
    expect(checkIdTokenClaims({ ...valid, email_verified: undefined }, expected).emailVerified).toBe(false);
  });

  test.each([
    ["another issuer", { iss: "https://evil.test" }, "iss"],
    ["another audience", { aud: "someone-else" }, "aud"],
    ["several audiences without azp", { aud: ["opsbox", "other"] }, "azp"],
    ["another authorised party", { azp: "other" }, "azp"],
    ["an expired token", { exp: seconds - 120 }, "exp"],
    ["no expiry", { exp: undefined }, "exp"],
    ["a token from the future", { iat: seconds + 600 }, "iat"],
    ["another sign-in's nonce", { nonce: "n-999" }, "nonce"],
    ["no nonce", { nonce: undefined }, "nonce"],
    ["no subject", { sub: "" }, "sub"],
  ])("refuses %s", (_name, change, claim) => {
    expect(() => checkIdTokenClaims({ ...valid, ...change }, expected)).toThrow(IdTokenClaimError);
    expect(() => checkIdTokenClaims({ ...valid, ...change }, expected)).toThrow(`(${claim})`);
  });

  test("an issuer alias is accepted only where the provider uses one", () => {
    const google = { ...expected, issuer: "https://accounts.google.com", issuerAliases: ["accounts.google.com"] };
    expect(checkIdTokenClaims({ ...valid, iss: "accounts.google.com" }, google).subject).toBe("user-1");
    expect(() => checkIdTokenClaims({ ...valid, iss: "accounts.google.com" }, expected)).toThrow("(iss)");
  });

  test("Entra ID's multi-tenant issuer is held to the token's own tenant", () => {
    const microsoft = { ...expected, issuer: "https://login.microsoftonline.com/{tenantid}/v2.0" };
    const tid = "9188040d-6c67-4c5b-b112-36a304b66dad";
    const claims = {
      ...valid,
      iss: `https://login.microsoftonline.com/${tid}/v2.0`,
      tid,
      xms_edov: true,
      email_verified: undefined,
    };
    expect(checkIdTokenClaims(claims, microsoft).emailVerified).toBe(true);
    expect(() => checkIdTokenClaims({ ...claims, tid: "another-tenant" }, microsoft)).toThrow("(iss)");
  });
});
