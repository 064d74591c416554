import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestApp, type TestApp } from "../testing/harness.ts";
import { consoleHeaders, createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { type BuiltInRole, builtInRoles, type Permission, permissions, rolePermissions } from "./permissions.ts";

/**
 * The role table of ARCHITECTURE.md, written out again by hand: if permissions.ts drifts from
 * the design, this fails. ✓ = the role has the permission.
 */
const designTable: Record<Permission, Record<BuiltInRole, boolean>> = {
  "workspace.read": { admin: true, manager: true, team_lead: true, member: true, viewer: true },
  "assistant.ask": { admin: true, manager: true, team_lead: true, member: true, viewer: true },
  "tasks.write": { admin: true, manager: true, team_lead: true, member: true, viewer: false },
  "tasks.manage": { admin: true, manager: true, team_lead: true, member: false, viewer: false },
  "projects.manage": { admin: true, manager: true, team_lead: false, member: false, viewer: false },
  "approvals.decide": { admin: true, manager: true, team_lead: true, member: true, viewer: false },
  "invoices.manage": { admin: true, manager: true, team_lead: false, member: false, viewer: false },
  "timesheets.approve": { admin: true, manager: true, team_lead: true, member: false, viewer: false },
  "documents.upload": { admin: true, manager: true, team_lead: true, member: true, viewer: false },
  "users.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "roles.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "api_keys.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "settings.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "agents.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "backups.manage": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
  "audit.read": { admin: true, manager: false, team_lead: false, member: false, viewer: false },
};

/** What each route demands: a permission, any signed-in person, the instance admin, or nothing. */
type Guard = Permission | "signed_in" | "instance_admin" | "public";

const UNKNOWN = "usr_00000000000000000000000000";
const routes: [method: string, path: string, guard: Guard][] = [
  ["GET", "/healthz", "public"],
  ["GET", "/readyz", "public"],
  ["GET", "/static/*", "public"],
  ["POST", "/api/v1/setup", "public"],
  ["POST", "/api/v1/auth/login", "public"],
  ["POST", "/api/v1/auth/logout", "signed_in"],
  ["GET", "/api/v1/me", "signed_in"],
  ["POST", "/api/v1/auth/two-factor", "signed_in"],
  ["POST", "/api/v1/me/two-factor", "signed_in"],
  ["POST", "/api/v1/me/two-factor/confirm", "signed_in"],
  ["DELETE", "/api/v1/me/two-factor", "signed_in"],
  ["POST", "/api/v1/me/recovery-codes", "signed_in"],
  ["GET", "/api/v1/me/sessions", "signed_in"],
  ["DELETE", "/api/v1/me/sessions/others", "signed_in"],
  ["POST", "/api/v1/me/password", "signed_in"],
  ["GET", "/api/v1/users", "users.manage"],
  ["POST", "/api/v1/users", "users.manage"],
  ["GET", "/api/v1/users/:id", "users.manage"],
  ["PATCH", "/api/v1/users/:id", "users.manage"],
  ["POST", "/api/v1/invitations", "users.manage"],
  ["POST", "/api/v1/auth/password-reset", "public"],
  ["POST", "/api/v1/auth/password-reset/confirm", "public"],
  ["POST", "/api/v1/organizations", "instance_admin"],
  ["POST", "/api/v1/me/organization", "signed_in"],
  ["GET", "/api/v1/roles", "roles.manage"],
  ["POST", "/api/v1/roles", "roles.manage"],
  ["PATCH", "/api/v1/roles/:id", "roles.manage"],
  ["DELETE", "/api/v1/roles/:id", "roles.manage"],
  ["GET", "/api/v1/security-policy", "settings.manage"],
  ["PUT", "/api/v1/security-policy", "settings.manage"],
  ["POST", "/api/v1/api-keys", "api_keys.manage"],
  ["GET", "/api/v1/api-keys", "api_keys.manage"],
  ["GET", "/api/v1/api-keys/:id", "api_keys.manage"],
  ["DELETE", "/api/v1/api-keys/:id", "api_keys.manage"],
  ["GET", "/api/v1/audit-events", "audit.read"],
  ["GET", "/api/v1/audit-events.csv", "audit.read"],
  ["POST", "/api/v1/sso-providers", "settings.manage"],
  ["GET", "/api/v1/sso-providers", "settings.manage"],
  ["GET", "/api/v1/sso-providers/:id", "settings.manage"],
  ["PATCH", "/api/v1/sso-providers/:id", "settings.manage"],
  ["DELETE", "/api/v1/sso-providers/:id", "settings.manage"],
  ["GET", "/settings/users", "users.manage"],
  ["GET", "/settings/users/:id/deactivate", "users.manage"],
  ["POST", "/settings/users/invite", "users.manage"],
  ["POST", "/settings/users/:id/role", "users.manage"],
  ["POST", "/settings/users/:id/deactivate", "users.manage"],
  ["POST", "/settings/users/:id/reactivate", "users.manage"],
  ["POST", "/settings/users/:id/resend", "users.manage"],
  ["POST", "/settings/roles", "roles.manage"],
  ["POST", "/settings/roles/:id", "roles.manage"],
  ["POST", "/settings/roles/:id/delete", "roles.manage"],
  ["GET", "/settings/security", "settings.manage"],
  ["POST", "/settings/security", "settings.manage"],
  ["GET", "/settings/api-keys", "api_keys.manage"],
  ["POST", "/settings/api-keys", "api_keys.manage"],
  ["POST", "/settings/api-keys/:id/revoke", "api_keys.manage"],
  ["GET", "/settings/audit", "audit.read"],
  ["GET", "/settings/audit/export.csv", "audit.read"],
  ["GET", "/settings/outbox", "users.manage"],
  ["GET", "/settings/sso", "settings.manage"],
  ["POST", "/settings/sso", "settings.manage"],
  ["GET", "/settings/sso/:id/edit", "settings.manage"],
  ["POST", "/settings/sso/private-hosts", "instance_admin"],
  ["POST", "/settings/sso/:id", "settings.manage"],
  ["POST", "/settings/sso/:id/delete", "settings.manage"],
  ["POST", "/organizations/switch", "signed_in"],
  ["GET", "/account", "signed_in"],
  ["POST", "/account/password", "signed_in"],
  ["GET", "/account/two-factor/setup", "signed_in"],
  ["POST", "/account/two-factor/setup", "signed_in"],
  ["POST", "/account/two-factor/recovery-codes", "signed_in"],
  ["POST", "/account/two-factor/disable", "signed_in"],
  ["POST", "/account/sessions/sign-out-others", "signed_in"],
  ["GET", "/", "signed_in"],
  ["GET", "/setup", "public"],
  ["GET", "/setup/:step", "public"],
  ["POST", "/setup/:step", "public"],
  ["GET", "/sign-in", "public"],
  ["POST", "/sign-in", "public"],
  ["POST", "/sign-out", "signed_in"],
  ["GET", "/sign-in/two-factor", "signed_in"],
  ["POST", "/sign-in/two-factor", "signed_in"],
  ["GET", "/forgot-password", "public"],
  ["POST", "/forgot-password", "public"],
  ["GET", "/reset-password", "public"],
  ["POST", "/reset-password", "public"],
  ["GET", "/invitations/accept", "public"],
  ["POST", "/invitations/accept", "public"],
  ["GET", "/auth/sso/:providerId/start", "public"],
  ["GET", "/auth/sso/:providerId/callback", "public"],
  // -- projects + teams (API and console)
  // -- tasks (API and console)
  // -- approvals (API and console)
  // -- customers + invoices (API and console)
  // -- time entries, timers, timesheets (API and console)
  // -- equipment, search, reports (API and console)
  // -- events, OpenAPI, Pulse
];

let box: TestApp;
let orgId = "";
const people = new Map<BuiltInRole, string>();
beforeAll(async () => {
  box = await startTestApp();
  orgId = (await setUpBox(box)).orgId;
  for (const role of builtInRoles)
    people.set(role, await createUser(box, { orgId, role, email: `${role}@matrix.test` }));
});
afterAll(() => box.close());

test("the role table in code is the role table of the design", () => {
  for (const permission of permissions) {
    for (const role of builtInRoles) {
      expect([permission, role, rolePermissions[role].has(permission)]).toEqual([
        permission,
        role,
        designTable[permission][role],
      ]);
    }
  }
});

test("every route of the app is in this matrix", () => {
  const listed = new Set(routes.map(([method, path]) => `${method} ${path}`));
  const actual = box.app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method} ${route.path}`);
  expect([...new Set(actual)].filter((route) => !listed.has(route))).toEqual([]);
});

function allowed(guard: Guard, role: BuiltInRole): boolean {
  if (guard === "signed_in") return true;
  // The matrix's people are organisation members, none of them the box's first admin.
  if (guard === "instance_admin") return false;
  return rolePermissions[role].has(guard as Permission);
}

describe("every role against every guarded route", () => {
  for (const [method, path, guard] of routes) {
    if (guard === "public") continue;
    test(`${method} ${path} (${guard})`, async () => {
      const url = path.replace(/:[A-Za-z]+/g, UNKNOWN);
      const outcome: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const role of builtInRoles) {
        // A fresh session per request: sign-out routes must not change the next row's answer.
        const cookie = sessionCookie(box, people.get(role) ?? "", orgId);
        const init: RequestInit = { method, headers: consoleHeaders(box, cookie) };
        if (method !== "GET" && method !== "DELETE" && path.startsWith("/api/")) {
          init.headers = { ...consoleHeaders(box, cookie), "Content-Type": "application/json" };
          init.body = "{}";
        }
        const response = await box.fetch(url, init);
        outcome[role] = response.status === 403 ? "forbidden" : response.status === 401 ? "signed out" : "allowed";
        expected[role] = allowed(guard, role) ? "allowed" : "forbidden";
        await response.body?.cancel();
      }
      expect(outcome).toEqual(expected);
    });
  }
});
