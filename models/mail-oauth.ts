import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { timestamp, updatedAt } from "./columns.ts";
import { organizations } from "./identity.ts";

/** The mail services Opsbox connects to with OAuth: Gmail (Google) and Outlook (Microsoft Entra ID). */
export const mailOAuthProviders = ["google", "microsoft"] as const;
export type MailOAuthProvider = (typeof mailOAuthProviders)[number];

/** pending: the app is entered, no account connected yet; reconnect: the grant was revoked or expired. */
export const mailOAuthStates = ["pending", "connected", "reconnect"] as const;
export type MailOAuthState = (typeof mailOAuthStates)[number];

/**
 * A mailbox connected with OAuth: the box's sending mailbox (key `send`, no organisation) or an
 * organisation's inbound mailbox (key `inbound:<org id>`). The client secret and both tokens are
 * sealed with the keyring (server/tools/secrets.ts); the access token is refreshed before
 * `access_token_expires_at`. A grant the provider refuses (invalid_grant) turns `reconnect`.
 */
export const mailOAuthGrants = sqliteTable("mail_oauth_grants", {
  key: text("key").primaryKey(),
  orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
  provider: text("provider", { enum: mailOAuthProviders }).notNull(),
  /** Microsoft only: the directory (tenant id, a domain, `organizations` or `common`). */
  tenant: text("tenant"),
  clientId: text("client_id").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted").notNull(),
  /** The scopes asked for, space-separated. */
  scopes: text("scopes").notNull(),
  /** The address the grant speaks for, as the ID token names it. */
  account: text("account"),
  accessTokenEncrypted: text("access_token_encrypted"),
  refreshTokenEncrypted: text("refresh_token_encrypted"),
  accessTokenExpiresAt: timestamp("access_token_expires_at"),
  state: text("state", { enum: mailOAuthStates }).notNull().default("pending"),
  /** Why the grant needs connecting again; never a token. */
  lastError: text("last_error"),
  connectedAt: timestamp("connected_at"),
  updatedAt: updatedAt(),
});
export type MailOAuthGrant = typeof mailOAuthGrants.$inferSelect;
