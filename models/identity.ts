import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp } from "./columns.ts";

export const organizations = sqliteTable("organizations", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  industry: text("industry").notNull(),
  complianceLevel: text("compliance_level").notNull(),
  /** The security policy (session timeouts, 2FA rule, password rules, retention), JSON. */
  policy: text("policy", { mode: "json" }).notNull(),
  createdAt: createdAt(),
});
export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Lower-cased; the sign-in name. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /** argon2id; null until an invited person chooses one, or for single-sign-on-only people. */
    passwordHash: text("password_hash"),
    status: text("status", { enum: ["invited", "active", "deactivated"] }).notNull(),
    /** The box's first admin: may add organisations. */
    isInstanceAdmin: integer("is_instance_admin", { mode: "boolean" }).notNull().default(false),
    /** TOTP key, encrypted with the box's secret (see server/tools/secrets.ts). */
    totpKeyEncrypted: text("totp_key_encrypted"),
    totpEnabledAt: timestamp("totp_enabled_at"),
    /** Last TOTP time step accepted, so that a code cannot be used twice. */
    totpLastStep: integer("totp_last_step"),
    passwordChangedAt: timestamp("password_changed_at"),
    lastSignInAt: timestamp("last_sign_in_at"),
    /**
     * The organisation that created the account (its first invitation, its setup, or its
     * single sign-on); null once that organisation has removed the person. Only the home
     * organisation's single sign-on may link the account. (No foreign key: SQLite cannot add
     * one with ON DELETE to an existing table; removing a member clears it.)
     */
    homeOrgId: text("home_org_id"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("users_email_unique").on(table.email)],
);
export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;

/** Custom roles an organisation builds from the same permissions as the built-in ones. */
export const customRoles = sqliteTable(
  "custom_roles",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    permissions: text("permissions", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("custom_roles_org_name_unique").on(table.orgId, table.name)],
);
export type CustomRole = typeof customRoles.$inferSelect;

export const memberships = sqliteTable(
  "memberships",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** A built-in role name (`admin`, `manager`, `team_lead`, `member`, `viewer`) or a custom role id. */
    role: text("role").notNull(),
    /** The organisation's own name for the member; the account's name (the person's) when null. */
    displayName: text("display_name"),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("memberships_org_user_unique").on(table.orgId, table.userId),
    index("memberships_user_idx").on(table.userId),
  ],
);
export type Membership = typeof memberships.$inferSelect;

/**
 * An organisation's invitation to a person who already has an account: it becomes a
 * membership (with the same id) only when the person accepts it from their own session with
 * the e-mailed link, and disappears when they decline or the organisation withdraws it.
 */
export const membershipInvitations = sqliteTable(
  "membership_invitations",
  {
    /** A `mem_` id: the membership keeps it once accepted. */
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    /** What the inviting organisation called the person; never the account's own name. */
    displayName: text("display_name").notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex("membership_invitations_org_user_unique").on(table.orgId, table.userId),
    index("membership_invitations_user_idx").on(table.userId),
  ],
);
export type MembershipInvitation = typeof membershipInvitations.$inferSelect;

/** Lucia-guide sessions: the cookie holds `id.secret`; only the secret's SHA-256 is stored. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The organisation the person is working in now. */
    orgId: text("org_id").references(() => organizations.id, { onDelete: "set null" }),
    /**
     * Set when the session was opened through an organisation's single sign-on: that provider
     * speaks for its own organisation only, so the session works there and nowhere else.
     * (No foreign key: SQLite cannot add one with ON DELETE to an existing table.)
     */
    ssoOrgId: text("sso_org_id"),
    /** False between the password and the second factor. */
    twoFactorVerified: integer("two_factor_verified", { mode: "boolean" }).notNull().default(false),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at").notNull(),
    /** Sliding: moved forward on use by the organisation's idle timeout. */
    idleExpiresAt: timestamp("idle_expires_at").notNull(),
    /** Never moves. */
    absoluteExpiresAt: timestamp("absolute_expires_at").notNull(),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);
export type Session = typeof sessions.$inferSelect;

export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at"),
  },
  (table) => [index("recovery_codes_user_idx").on(table.userId)],
);

/** Single-use tokens e-mailed to people: password resets and invitations. Only hashes are stored. */
export const emailTokens = sqliteTable(
  "email_tokens",
  {
    id: text("id").primaryKey(),
    /** `invitation` sets a new account's password; `membership` accepts a membership invitation. */
    kind: text("kind", { enum: ["password_reset", "invitation", "membership"] }).notNull(),
    tokenHash: blob("token_hash", { mode: "buffer" }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: text("org_id").references(() => organizations.id, { onDelete: "cascade" }),
    /** For invitations: the role the person joins with. */
    role: text("role"),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at").notNull(),
    usedAt: timestamp("used_at"),
    createdAt: createdAt(),
  },
  (table) => [index("email_tokens_user_idx").on(table.userId)],
);
export type EmailToken = typeof emailTokens.$inferSelect;

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The visible start of the key (`obx_ab12cd34`), for people to tell keys apart. */
    prefix: text("prefix").notNull(),
    secretHash: blob("secret_hash", { mode: "buffer" }).notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    expiresAt: timestamp("expires_at"),
    lastUsedAt: timestamp("last_used_at"),
    revokedAt: timestamp("revoked_at"),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("api_keys_prefix_unique").on(table.prefix), index("api_keys_org_idx").on(table.orgId)],
);
export type ApiKey = typeof apiKeys.$inferSelect;

/** Failed sign-ins and 2FA codes per account or address, for back-off and lockout. Survives restarts. */
export const authThrottles = sqliteTable("auth_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  firstFailureAt: timestamp("first_failure_at").notNull(),
  lockedUntil: timestamp("locked_until"),
});

export const ssoProviders = sqliteTable("sso_providers", {
  id: text("id").primaryKey(),
  orgId: text("org_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" }),
  kind: text("kind", { enum: ["google", "microsoft", "oidc"] }).notNull(),
  name: text("name").notNull(),
  issuer: text("issuer").notNull(),
  clientId: text("client_id").notNull(),
  clientSecretEncrypted: text("client_secret_encrypted").notNull(),
  /** Which e-mail domains may join, and with which role: `[{"domain": "example.com", "role": "member"}]`. */
  domainRules: text("domain_rules", { mode: "json" }).$type<{ domain: string; role: string }[]>().notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: createdAt(),
});
export type SsoProvider = typeof ssoProviders.$inferSelect;

export const ssoIdentities = sqliteTable(
  "sso_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    providerId: text("provider_id")
      .notNull()
      .references(() => ssoProviders.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex("sso_identities_provider_subject_unique").on(table.providerId, table.subject)],
);
