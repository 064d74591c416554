import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TestApp } from "../../testing/harness.ts";
import { consoleHeaders, createUser, sessionCookie, setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { type BuiltInRole, builtInRoles, type Permission, permissions, rolePermissions } from "./permissions.ts";

/**
 * The role table of docs/architecture.md, written out again by hand: if permissions.ts drifts from
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
  // Loopback callers or the metrics token, no session: server/ops/metrics/metrics.test.ts.
  ["GET", "/metrics", "public"],
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
  ["DELETE", "/api/v1/users/:id", "users.manage"],
  ["GET", "/api/v1/me/invitations", "signed_in"],
  ["POST", "/api/v1/me/invitations/accept", "signed_in"],
  ["POST", "/api/v1/me/invitations/:id/decline", "signed_in"],
  ["POST", "/api/v1/me/organizations/:id/leave", "signed_in"],
  ["POST", "/api/v1/invitations", "users.manage"],
  ["GET", "/api/v1/me/export", "signed_in"],
  ["GET", "/api/v1/users/:id/export", "users.manage"],
  ["POST", "/api/v1/users/:id/erase", "users.manage"],
  ["GET", "/api/v1/retention", "settings.manage"],
  ["POST", "/api/v1/retention/confirm", "settings.manage"],
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
  ["GET", "/settings/users/:id/remove", "users.manage"],
  ["POST", "/settings/users/:id/remove", "users.manage"],
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
  ["POST", "/settings/outbox/:id/retry", "users.manage"],
  ["POST", "/settings/outbox/:id/cancel", "users.manage"],
  ["GET", "/settings/sso", "settings.manage"],
  ["POST", "/settings/sso", "settings.manage"],
  ["GET", "/settings/sso/:id/edit", "settings.manage"],
  ["POST", "/settings/sso/private-hosts", "instance_admin"],
  ["POST", "/settings/sso/approved-domains", "instance_admin"],
  ["POST", "/settings/sso/:id", "settings.manage"],
  ["POST", "/settings/sso/:id/delete", "settings.manage"],
  ["POST", "/organizations/switch", "signed_in"],
  ["GET", "/account", "signed_in"],
  ["GET", "/account/export", "signed_in"],
  ["GET", "/settings/privacy", "settings.manage"],
  ["POST", "/settings/privacy/retention", "settings.manage"],
  ["GET", "/settings/privacy/people/:id", "users.manage"],
  ["GET", "/settings/privacy/people/:id/export", "users.manage"],
  ["POST", "/settings/privacy/people/:id/erase", "users.manage"],
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
  ["GET", "/invitations/join", "public"],
  ["POST", "/invitations/join/accept", "signed_in"],
  ["POST", "/invitations/join/decline", "signed_in"],
  ["POST", "/account/invitations/:id/decline", "signed_in"],
  ["POST", "/account/organizations/:id/leave", "signed_in"],
  ["GET", "/auth/sso/:providerId/start", "public"],
  ["GET", "/auth/sso/:providerId/callback", "public"],
  // -- projects + teams (API and console)
  ["GET", "/api/v1/projects", "workspace.read"],
  ["POST", "/api/v1/projects", "projects.manage"],
  ["GET", "/api/v1/projects/:id", "workspace.read"],
  ["PATCH", "/api/v1/projects/:id", "projects.manage"],
  ["PUT", "/api/v1/projects/:id/members/:userId", "projects.manage"],
  ["DELETE", "/api/v1/projects/:id/members/:userId", "projects.manage"],
  ["GET", "/api/v1/teams", "workspace.read"],
  ["POST", "/api/v1/teams", "projects.manage"],
  ["GET", "/api/v1/teams/:id", "workspace.read"],
  ["PATCH", "/api/v1/teams/:id", "projects.manage"],
  ["DELETE", "/api/v1/teams/:id", "projects.manage"],
  ["PUT", "/api/v1/teams/:id/members/:userId", "projects.manage"],
  ["DELETE", "/api/v1/teams/:id/members/:userId", "projects.manage"],
  ["GET", "/api/v1/equipment", "workspace.read"],
  ["POST", "/api/v1/equipment", "projects.manage"],
  ["GET", "/api/v1/equipment/:id", "workspace.read"],
  ["PATCH", "/api/v1/equipment/:id", "projects.manage"],
  ["DELETE", "/api/v1/equipment/:id", "projects.manage"],
  ["PUT", "/api/v1/equipment/:id/projects/:projectId", "projects.manage"],
  ["DELETE", "/api/v1/equipment/:id/projects/:projectId", "projects.manage"],
  ["GET", "/projects", "workspace.read"],
  ["GET", "/projects/new", "projects.manage"],
  ["GET", "/projects/choices", "workspace.read"],
  ["POST", "/projects", "projects.manage"],
  ["GET", "/projects/:id", "workspace.read"],
  ["GET", "/projects/:id/edit", "projects.manage"],
  ["POST", "/projects/:id", "projects.manage"],
  ["POST", "/projects/:id/status", "projects.manage"],
  ["POST", "/projects/:id/members", "projects.manage"],
  ["POST", "/projects/:id/members/:userId/remove", "projects.manage"],
  ["GET", "/teams", "workspace.read"],
  ["GET", "/teams/new", "projects.manage"],
  ["POST", "/teams", "projects.manage"],
  ["GET", "/teams/:id", "workspace.read"],
  ["POST", "/teams/:id", "projects.manage"],
  ["POST", "/teams/:id/delete", "projects.manage"],
  ["GET", "/equipment", "workspace.read"],
  ["GET", "/equipment/new", "projects.manage"],
  ["POST", "/equipment", "projects.manage"],
  ["GET", "/equipment/:id", "workspace.read"],
  ["GET", "/equipment/:id/edit", "projects.manage"],
  ["POST", "/equipment/:id", "projects.manage"],
  ["POST", "/equipment/:id/delete", "projects.manage"],
  ["POST", "/equipment/:id/projects", "projects.manage"],
  ["POST", "/equipment/:id/projects/:projectId/remove", "projects.manage"],
  // -- tasks (API and console)
  ["GET", "/api/v1/tasks", "workspace.read"],
  ["POST", "/api/v1/tasks", "tasks.write"],
  ["GET", "/api/v1/tasks/:id", "workspace.read"],
  ["PATCH", "/api/v1/tasks/:id", "tasks.write"],
  ["DELETE", "/api/v1/tasks/:id", "tasks.manage"],
  ["GET", "/api/v1/tasks/:id/comments", "workspace.read"],
  ["POST", "/api/v1/tasks/:id/comments", "tasks.write"],
  ["GET", "/api/v1/tasks/:id/history", "workspace.read"],
  ["GET", "/tasks", "workspace.read"],
  ["GET", "/tasks/board", "workspace.read"],
  ["GET", "/tasks/mine", "workspace.read"],
  ["GET", "/tasks/new", "tasks.write"],
  ["POST", "/tasks", "tasks.write"],
  ["GET", "/tasks/:id", "workspace.read"],
  ["GET", "/tasks/:id/edit", "tasks.write"],
  ["POST", "/tasks/:id", "tasks.write"],
  ["POST", "/tasks/:id/move", "tasks.write"],
  ["POST", "/tasks/:id/status", "tasks.write"],
  ["POST", "/tasks/:id/assignee", "tasks.write"],
  ["POST", "/tasks/:id/comments", "tasks.write"],
  ["POST", "/tasks/:id/delete", "tasks.manage"],
  ["GET", "/tasks/stream", "workspace.read"],
  ["GET", "/tasks/board/stream", "workspace.read"],
  ["GET", "/tasks/mine/stream", "workspace.read"],
  ["GET", "/tasks/:id/stream", "workspace.read"],
  // -- approvals (API and console)
  ["GET", "/api/v1/approval-pipelines", "workspace.read"],
  ["POST", "/api/v1/approval-pipelines", "projects.manage"],
  ["GET", "/api/v1/approval-pipelines/:id", "workspace.read"],
  ["PATCH", "/api/v1/approval-pipelines/:id", "projects.manage"],
  ["DELETE", "/api/v1/approval-pipelines/:id", "projects.manage"],
  ["GET", "/api/v1/approvals", "workspace.read"],
  ["POST", "/api/v1/approvals", "tasks.write"],
  ["GET", "/api/v1/approvals/:id", "workspace.read"],
  ["GET", "/api/v1/approvals/:id/decisions", "workspace.read"],
  ["POST", "/api/v1/approvals/:id/decisions", "approvals.decide"],
  ["POST", "/api/v1/approvals/:id/cancel", "workspace.read"],
  ["GET", "/approvals/pipelines", "projects.manage"],
  ["GET", "/approvals/pipelines/new", "projects.manage"],
  ["POST", "/approvals/pipelines", "projects.manage"],
  ["GET", "/approvals/pipelines/:id", "projects.manage"],
  ["POST", "/approvals/pipelines/:id", "projects.manage"],
  ["POST", "/approvals/pipelines/:id/archive", "projects.manage"],
  ["GET", "/approvals", "workspace.read"],
  ["GET", "/approvals/new", "tasks.write"],
  ["POST", "/approvals/new", "tasks.write"],
  ["GET", "/approvals/:id", "workspace.read"],
  ["POST", "/approvals/:id/decide", "approvals.decide"],
  ["POST", "/approvals/:id/cancel", "workspace.read"],
  // -- customers + invoices (API and console)
  ["GET", "/api/v1/customers", "invoices.manage"],
  ["POST", "/api/v1/customers", "invoices.manage"],
  ["GET", "/api/v1/customers/:id", "invoices.manage"],
  ["PATCH", "/api/v1/customers/:id", "invoices.manage"],
  ["DELETE", "/api/v1/customers/:id", "invoices.manage"],
  ["GET", "/api/v1/invoices", "invoices.manage"],
  ["GET", "/api/v1/invoices.csv", "invoices.manage"],
  ["POST", "/api/v1/invoices", "invoices.manage"],
  ["GET", "/api/v1/invoices/:id", "invoices.manage"],
  ["PATCH", "/api/v1/invoices/:id", "invoices.manage"],
  ["DELETE", "/api/v1/invoices/:id", "invoices.manage"],
  ["GET", "/api/v1/invoice-settings", "invoices.manage"],
  ["PUT", "/api/v1/invoice-settings", "invoices.manage"],
  ["POST", "/api/v1/invoices/:id/submit", "invoices.manage"],
  ["POST", "/api/v1/invoices/:id/send", "invoices.manage"],
  ["POST", "/api/v1/invoices/:id/mark-paid", "invoices.manage"],
  ["POST", "/api/v1/invoices/:id/void", "invoices.manage"],
  ["POST", "/api/v1/invoices/:id/lines-from-time", "invoices.manage"],
  ["GET", "/api/v1/invoices/:id/pdf", "invoices.manage"],
  ["GET", "/invoices", "invoices.manage"],
  ["GET", "/invoices/new", "invoices.manage"],
  ["POST", "/invoices", "invoices.manage"],
  ["POST", "/invoices/editor/add", "invoices.manage"],
  ["POST", "/invoices/editor/remove/:index", "invoices.manage"],
  ["POST", "/invoices/editor/totals", "invoices.manage"],
  ["GET", "/invoices/settings", "invoices.manage"],
  ["POST", "/invoices/settings", "invoices.manage"],
  ["GET", "/invoices/:id", "invoices.manage"],
  ["GET", "/invoices/:id/edit", "invoices.manage"],
  ["POST", "/invoices/:id/edit", "invoices.manage"],
  ["GET", "/invoices/:id/print", "invoices.manage"],
  ["POST", "/invoices/:id/submit", "invoices.manage"],
  ["POST", "/invoices/:id/send", "invoices.manage"],
  ["POST", "/invoices/:id/mark-paid", "invoices.manage"],
  ["POST", "/invoices/:id/void", "invoices.manage"],
  ["POST", "/invoices/:id/delete", "invoices.manage"],
  ["POST", "/invoices/:id/lines-from-time", "invoices.manage"],
  ["GET", "/customers", "invoices.manage"],
  ["GET", "/customers/new", "invoices.manage"],
  ["POST", "/customers", "invoices.manage"],
  ["GET", "/customers/:id/edit", "invoices.manage"],
  ["POST", "/customers/:id/edit", "invoices.manage"],
  ["POST", "/customers/:id/delete", "invoices.manage"],
  // -- time entries, timers, timesheets (API and console)
  ["GET", "/api/v1/time-entries", "tasks.write"],
  ["GET", "/api/v1/time-entries.csv", "tasks.write"],
  ["GET", "/api/v1/time-entries/totals", "tasks.write"],
  ["POST", "/api/v1/time-entries", "tasks.write"],
  ["GET", "/api/v1/time-entries/:id", "tasks.write"],
  ["PATCH", "/api/v1/time-entries/:id", "tasks.write"],
  ["DELETE", "/api/v1/time-entries/:id", "tasks.write"],
  ["GET", "/api/v1/timers/current", "tasks.write"],
  ["POST", "/api/v1/timers", "tasks.write"],
  ["POST", "/api/v1/timers/current/stop", "tasks.write"],
  ["DELETE", "/api/v1/timers/current", "tasks.write"],
  ["GET", "/api/v1/timesheets", "tasks.write"],
  ["POST", "/api/v1/timesheets/submit", "tasks.write"],
  ["GET", "/api/v1/timesheets/:id", "tasks.write"],
  ["POST", "/api/v1/timesheets/:id/reopen", "timesheets.approve"],
  ["GET", "/time", "tasks.write"],
  ["GET", "/time/entries/:id/edit", "tasks.write"],
  ["POST", "/time/entries", "tasks.write"],
  ["POST", "/time/entries/:id", "tasks.write"],
  ["POST", "/time/entries/:id/delete", "tasks.write"],
  ["GET", "/time/timer", "tasks.write"],
  ["POST", "/time/timer/start", "tasks.write"],
  ["POST", "/time/timer/stop", "tasks.write"],
  ["POST", "/time/timer/discard", "tasks.write"],
  ["POST", "/time/submit", "tasks.write"],
  ["GET", "/time/team", "timesheets.approve"],
  ["POST", "/time/timesheets/:id/reopen", "timesheets.approve"],
  ["GET", "/time/totals", "tasks.write"],
  // -- equipment, search, reports (API and console)
  ["GET", "/api/v1/search", "workspace.read"],
  ["GET", "/search", "workspace.read"],
  ["GET", "/search/suggest", "workspace.read"],
  ["GET", "/api/v1/reports/hours", "workspace.read"],
  ["GET", "/api/v1/reports/hours.csv", "workspace.read"],
  ["GET", "/api/v1/reports/invoices", "invoices.manage"],
  ["GET", "/api/v1/reports/invoices.csv", "invoices.manage"],
  ["GET", "/api/v1/reports/tasks-completed", "workspace.read"],
  ["GET", "/api/v1/reports/tasks-completed.csv", "workspace.read"],
  ["GET", "/reports", "workspace.read"],
  ["GET", "/reports/hours.csv", "workspace.read"],
  ["GET", "/reports/invoices.csv", "invoices.manage"],
  ["GET", "/reports/tasks-completed.csv", "workspace.read"],
  // -- the assistant (API and console)
  ["POST", "/api/v1/conversations", "assistant.ask"],
  ["GET", "/api/v1/conversations", "assistant.ask"],
  ["GET", "/api/v1/conversations/:id", "assistant.ask"],
  ["DELETE", "/api/v1/conversations/:id", "assistant.ask"],
  ["POST", "/api/v1/conversations/:id/messages", "assistant.ask"],
  ["POST", "/api/v1/conversations/:id/stop", "assistant.ask"],
  ["POST", "/api/v1/documents/:id/extract-invoice", "assistant.ask"],
  ["GET", "/ask", "assistant.ask"],
  ["POST", "/ask", "assistant.ask"],
  ["GET", "/ask/:id", "assistant.ask"],
  ["POST", "/ask/:id/messages", "assistant.ask"],
  ["POST", "/ask/:id/delete", "assistant.ask"],
  // -- documents (API and console)
  ["GET", "/api/v1/documents", "workspace.read"],
  ["POST", "/api/v1/documents", "documents.upload"],
  ["GET", "/api/v1/documents/:id", "workspace.read"],
  ["PATCH", "/api/v1/documents/:id", "documents.upload"],
  ["DELETE", "/api/v1/documents/:id", "documents.upload"],
  ["POST", "/api/v1/documents/:id/retry", "documents.upload"],
  ["POST", "/api/v1/documents/:id/submit", "documents.upload"],
  ["GET", "/api/v1/documents/:id/pages", "workspace.read"],
  ["GET", "/api/v1/documents/:id/file", "workspace.read"],
  ["GET", "/documents", "workspace.read"],
  ["GET", "/documents/stream", "workspace.read"],
  ["GET", "/documents/:id", "workspace.read"],
  ["GET", "/documents/:id/pages/:page", "workspace.read"],
  ["POST", "/documents/:id", "documents.upload"],
  ["POST", "/documents/:id/delete", "documents.upload"],
  ["POST", "/documents/:id/retry", "documents.upload"],
  ["POST", "/documents/:id/submit", "documents.upload"],
  // -- AI models (API and console): box-wide; any admin reads, only the instance admin changes
  ["GET", "/api/v1/ai/models", "settings.manage"],
  ["POST", "/api/v1/ai/models", "instance_admin"],
  ["GET", "/api/v1/ai/models/:id", "settings.manage"],
  ["DELETE", "/api/v1/ai/models/:id", "instance_admin"],
  ["GET", "/api/v1/ai/roles", "settings.manage"],
  ["PUT", "/api/v1/ai/roles", "instance_admin"],
  ["GET", "/api/v1/ai/serving", "settings.manage"],
  ["PUT", "/api/v1/ai/serving", "instance_admin"],
  ["GET", "/api/v1/ai/status", "settings.manage"],
  ["GET", "/settings/ai", "settings.manage"],
  ["GET", "/settings/ai/status", "settings.manage"],
  ["GET", "/settings/ai/models", "settings.manage"],
  ["POST", "/settings/ai/models/pull", "instance_admin"],
  ["POST", "/settings/ai/models/import", "instance_admin"],
  ["POST", "/settings/ai/models/:id/delete", "instance_admin"],
  ["POST", "/settings/ai/roles", "instance_admin"],
  ["POST", "/settings/ai/serving", "instance_admin"],
  // -- Monitoring: box-wide; any admin reads, only the instance admin makes the metrics token
  ["GET", "/settings/monitoring", "settings.manage"],
  ["POST", "/settings/monitoring/metrics-token", "instance_admin"],
  // -- E-mail: box-wide; any admin reads the settings, only the instance admin changes them or sends a test
  ["GET", "/api/v1/mail/settings", "settings.manage"],
  ["PUT", "/api/v1/mail/settings", "instance_admin"],
  ["POST", "/api/v1/mail/test", "instance_admin"],
  ["GET", "/settings/email", "settings.manage"],
  ["POST", "/settings/email", "instance_admin"],
  ["POST", "/settings/email/test", "instance_admin"],
  // -- the outbox: the organisation's messages, for those who send its invitations
  ["GET", "/api/v1/mail/messages", "users.manage"],
  ["POST", "/api/v1/mail/messages/:id/retry", "users.manage"],
  ["POST", "/api/v1/mail/messages/:id/cancel", "users.manage"],
  // -- events, OpenAPI, Pulse
  ["GET", "/api/v1/events", "workspace.read"],
  ["GET", "/api/v1/openapi.json", "public"],
  ["GET", "/api/docs", "public"],
  ["GET", "/pulse/stream", "workspace.read"],
];

let box: TestApp;
let orgId = "";
const people = new Map<BuiltInRole, string>();
beforeAll(async () => {
  box = await startInProcessApp();
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
