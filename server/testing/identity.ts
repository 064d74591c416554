import { eq } from "drizzle-orm";
import { memberships, organizations, users } from "../../models/identity.ts";
import { type ComplianceLevel, compliancePresets } from "../../models/security-policy.ts";
import { hashPassword } from "../auth/sessions/passwords.ts";
import { createSession, sessionPolicyDefaults } from "../auth/sessions/sessions.ts";
import { sessionCookieName } from "../http/session-cookie.ts";
import { completeSetup } from "../setup/service.ts";
import { newId } from "../tools/ids.ts";
import type { TestApp } from "./harness.ts";

export const TEST_PASSWORD = "correct horse battery staple";

export type TestBox = { orgId: string; adminId: string; adminEmail: string };

// One real argon2id hash of TEST_PASSWORD (production cost), made once per test process and
// stored for every person createUser makes: hashing costs 0.3-0.7 s of CPU each time on two
// cores, while signing in still verifies it at full cost.
let testPasswordHash: Promise<string> | null = null;

/** The stored hash of TEST_PASSWORD: made once per process by the real hashPassword. */
export function testPasswordHashOnce(): Promise<string> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

/**
 * Runs `work` with Bun.password.hash answering TEST_PASSWORD with testPasswordHashOnce(): the
 * same real argon2id hash at production cost, made once per process rather than once per box.
 * Any other password is hashed as always; signing in still verifies at full cost.
 */
async function withTestPasswordHashedOnce<T>(work: () => Promise<T>): Promise<T> {
  // Made (or awaited) before the swap, by the real hashPassword.
  const once = await testPasswordHashOnce();
  const hash = Bun.password.hash;
  Bun.password.hash = (password, options) =>
    password === TEST_PASSWORD ? Promise.resolve(once) : hash.call(Bun.password, password, options);
  try {
    return await work();
  } finally {
    Bun.password.hash = hash;
  }
}

/** Completes setup through the real service: one organisation and its admin (no 2FA yet). */
export async function setUpBox(
  box: TestApp,
  options: { complianceLevel?: ComplianceLevel; name?: string } = {},
): Promise<TestBox> {
  const adminEmail = "admin@example.com";
  const result = await withTestPasswordHashedOnce(() =>
    completeSetup(
      { db: box.deps.db, keyring: box.deps.keyring, dataDir: box.dataDir },
      {
        organization: {
          name: options.name ?? "Acme Ltd",
          industry: "general",
          complianceLevel: options.complianceLevel ?? "basic",
        },
        admin: { email: adminEmail, name: "Ada Admin", password: TEST_PASSWORD },
        email: { provider: "log" },
        backups: { enabled: false },
        ai: {},
        agents: { defaults: [] },
      },
    ),
  );
  return { orgId: result.organizationId, adminId: result.userId, adminEmail };
}

/** A second organisation with its own admin, made directly in the database. */
export async function createOrganization(box: TestApp, name: string): Promise<{ orgId: string; adminId: string }> {
  const orgId = newId("org");
  box.deps.db
    .insert(organizations)
    .values({ id: orgId, name, industry: "general", complianceLevel: "basic", policy: compliancePresets.basic.policy })
    .run();
  const adminId = await createUser(box, {
    orgId,
    role: "admin",
    email: `admin@${name.toLowerCase().replace(/\W+/g, "")}.test`,
  });
  return { orgId, adminId };
}

/** An active person with a password and a role in `orgId`. */
export async function createUser(
  box: TestApp,
  input: { orgId: string; role: string; email?: string; name?: string; status?: "active" | "invited" | "deactivated" },
): Promise<string> {
  const userId = newId("usr");
  box.deps.db
    .insert(users)
    .values({
      id: userId,
      email: input.email ?? `${input.role}-${userId.slice(-6)}@example.com`,
      name: input.name ?? `Test ${input.role}`,
      passwordHash: await testPasswordHashOnce(),
      status: input.status ?? "active",
      homeOrgId: input.orgId,
    })
    .run();
  box.deps.db
    .insert(memberships)
    .values({ id: newId("mem"), orgId: input.orgId, userId, role: input.role })
    .run();
  return userId;
}

/**
 * A `Cookie` header for a session of `userId` that has passed its second factor, as if the
 * person had signed in through the console. For tests of routes behind sign-in.
 */
export function sessionCookie(box: TestApp, userId: string, orgId: string): string {
  const user = box.deps.db.select().from(users).where(eq(users.id, userId)).get();
  if (!user) throw new Error(`no user ${userId}`);
  if (!user.totpEnabledAt) {
    // Admins must enrol 2FA before anything else; mark it done so route tests can focus on the route.
    box.deps.db.update(users).set({ totpEnabledAt: new Date() }).where(eq(users.id, userId)).run();
  }
  const { token } = createSession(box.deps.db, {
    userId,
    orgId,
    twoFactorVerified: true,
    policy: sessionPolicyDefaults,
  });
  return `${sessionCookieName(box.config.baseUrl)}=${token}`;
}

/** sessionCookie as a browser context takes it (`context.addCookies([...])`). */
export function browserSessionCookie(box: TestApp, userId: string, orgId: string) {
  return browserCookie(box, sessionCookie(box, userId, orgId));
}

/** A `name=value` Cookie header as Playwright's addCookies takes it, for this box's URL. */
export function browserCookie(box: TestApp, header: string) {
  const [name, value] = header.split("=");
  return { name: name ?? sessionCookieName(box.config.baseUrl), value: value ?? "", url: box.url };
}

/** Headers for a cookie-authenticated state change from the console (same origin, htmx). */
export function consoleHeaders(box: TestApp, cookie: string): Record<string, string> {
  return { Cookie: cookie, Origin: new URL(box.url).origin, "HX-Request": "true" };
}
