import { z } from "zod";
import { pageQuery } from "../../http/cursor.ts";

export const ssoKinds = ["google", "microsoft", "oidc"] as const;
export type SsoKind = (typeof ssoKinds)[number];

export const GOOGLE_ISSUER = "https://accounts.google.com";

/** Entra ID's v2.0 issuer for a tenant (a GUID, a verified domain, or `organizations`/`common`). */
export function microsoftIssuer(tenant: string): string {
  return `https://login.microsoftonline.com/${tenant}/v2.0`;
}

/** The tenant part of an Entra ID issuer, or null. */
export function tenantOfIssuer(issuer: string): string | null {
  return /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0$/.exec(issuer)?.[1] ?? null;
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The part of an e-mail address after the @, as a domain rule or the instance admin's approval names it. */
export const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .transform((text) => text.replace(/^@/, ""))
  .refine((text) => DOMAIN.test(text), "must be an e-mail domain such as example.com");

export const domainRule = z.object({
  domain: emailDomain,
  role: z.string().trim().min(1, "must name a role").max(64, "is too long"),
});
export type DomainRule = z.infer<typeof domainRule>;

/** The domains the instance admin approves for one organisation's domain rules (the console's form). */
export const approvedDomainsInput = z.array(emailDomain).max(200, "at most 200 domains");

const name = z.string().trim().min(1, "must not be empty").max(80, "must be at most 80 characters");
const clientId = z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters");
const clientSecret = z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters");
const tenant = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/,
    "must be a tenant id (a GUID) or a domain such as contoso.onmicrosoft.com",
  );
const issuer = z
  .string()
  .trim()
  .max(500, "must be at most 500 characters")
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }))
  .refine((text) => !/[?#]/.test(text), "must not have a query or fragment");
const domainRules = z
  .array(domainRule)
  .max(50, "at most 50 rules")
  .refine((rules) => new Set(rules.map((rule) => rule.domain)).size === rules.length, "each domain may appear once");

const common = {
  name,
  clientId,
  clientSecret,
  domainRules: domainRules.default([]),
  enabled: z.boolean().default(true),
};

/** POST /api/v1/sso-providers and the console's add form. The issuer is fixed for Google and built from the tenant for Microsoft. */
export const createSsoProviderInput = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("google"), ...common }).strict(),
  z.object({ kind: z.literal("microsoft"), tenant, ...common }).strict(),
  z.object({ kind: z.literal("oidc"), issuer, ...common }).strict(),
]);
export type CreateSsoProviderInput = z.infer<typeof createSsoProviderInput>;

/** PATCH: any subset; the kind never changes; the secret is replaced only when sent. */
export const updateSsoProviderInput = z
  .object({
    name,
    clientId,
    clientSecret,
    domainRules,
    enabled: z.boolean(),
    tenant,
    issuer,
  })
  .partial()
  .strict();
export type UpdateSsoProviderInput = z.infer<typeof updateSsoProviderInput>;

export const ssoProviderListQuery = pageQuery;
