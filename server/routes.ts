import type { Hono } from "hono";
import { agentsApi } from "./agents/api.ts";
import { agentsConsole } from "./agents/console.tsx";
import { aiModelsApi } from "./ai/api.ts";
import { aiSettingsConsole } from "./ai/console.tsx";
import { auditApi } from "./audit/api.ts";
import { auditConsole } from "./audit/console.tsx";
import { accountConsole } from "./auth/account/account-console.tsx";
import { apiKeysApi } from "./auth/keys/api-keys-api.ts";
import { apiKeysConsole } from "./auth/keys/api-keys-console.tsx";
import { myOrganizationsApi } from "./auth/organizations/organizations-api.ts";
import { securityConsole } from "./auth/organizations/security-console.tsx";
import { securityPolicyApi } from "./auth/organizations/security-policy-api.ts";
import { timeZoneApi } from "./auth/organizations/time-zone-api.ts";
import { organizationSettingsConsole } from "./auth/organizations/time-zone-console.tsx";
import { invitationConsole } from "./auth/people/invitation-console.tsx";
import { membershipInvitationConsole } from "./auth/people/membership-invitation-console.tsx";
import { membershipInvitationsApi } from "./auth/people/membership-invitations-api.ts";
import { passwordResetApi } from "./auth/people/password-reset-api.ts";
import { passwordResetConsole } from "./auth/people/password-reset-console.tsx";
import { usersApi } from "./auth/people/users-api.ts";
import { usersConsole } from "./auth/people/users-console.tsx";
import { rolesApi } from "./auth/roles/roles-api.ts";
import { rolesConsole } from "./auth/roles/roles-console.tsx";
import { authApi } from "./auth/sessions/api.ts";
import { signInConsole } from "./auth/sessions/console.tsx";
import { organizationSwitch } from "./auth/sessions/organization-switch.tsx";
import { ssoConsole } from "./auth/sso/sso-console.tsx";
import { ssoFlowRoutes } from "./auth/sso/sso-flow.tsx";
import { ssoProvidersApi } from "./auth/sso/sso-providers-api.ts";
import { twoFactorApi } from "./auth/two-factor/two-factor-api.ts";
import { backupsApi } from "./backup/api.ts";
import { backupsConsole } from "./backup/console.tsx";
import { broadcastsApi } from "./broadcasts/api.ts";
import { broadcastsConsole } from "./broadcasts/console.tsx";
import { openApiRoutes } from "./console/api-docs.ts";
import { eventsApi } from "./events/api.ts";
import { githubConnectionApi } from "./github/api.ts";
import { githubConsole } from "./github/console.tsx";
import type { AppEnv } from "./http/env.ts";
import { inboundMailApi } from "./inbound-mail/api.ts";
import { inboundMailConsole, inboundOAuthConsole } from "./inbound-mail/console.tsx";
import { jobsApi } from "./jobs/api.ts";
import { jobsConsole } from "./jobs/console.tsx";
import { documentsApi } from "./knowledge/api.ts";
import { assistantApi } from "./knowledge/assistant/api.ts";
import { assistantConsole } from "./knowledge/assistant/console.tsx";
import { documentsConsole } from "./knowledge/console.tsx";
import { invoiceReadingApi } from "./knowledge/invoice-reading/api.ts";
import { mailApi } from "./mail/api.ts";
import { outboxConsole } from "./mail/console.tsx";
import { logoApi } from "./mail/logo-api.ts";
import { logoConsole } from "./mail/logo-console.tsx";
import { mailOAuthCallback } from "./mail/oauth/console.tsx";
import { mailSettingsConsole, sendingOAuthConsole } from "./mail/settings-console.tsx";
import { suppressionsApi } from "./mail/suppressions-api.ts";
import { suppressionsConsole } from "./mail/suppressions-console.tsx";
import { unsubscribeConsole } from "./mail/unsubscribe-console.tsx";
import { webhookSettingsApi } from "./mail/webhook-settings-api.ts";
import { mailWebhooksApi } from "./mail/webhooks-api.ts";
import { notificationPreferencesApi, notificationsApi } from "./notifications/api.ts";
import {
  notificationDefaultsConsole,
  notificationPreferencesConsole,
  notificationsConsole,
} from "./notifications/console.tsx";
import { monitoringConsole } from "./ops/monitoring-console.tsx";
import { opsRoutes } from "./ops/routes.ts";
import { privacyApi } from "./privacy/api.ts";
import { myExportConsole, privacyConsole } from "./privacy/console.tsx";
import { setupApi } from "./setup/api.ts";
import { setupConsole } from "./setup/console.tsx";
import { organizationsApi } from "./setup/organizations-api.ts";
import { approvalsApi } from "./work/approvals/api.ts";
import { approvalsConsole } from "./work/approvals/console.tsx";
import { pipelinesApi } from "./work/approvals/pipelines-api.ts";
import { pipelinesConsole } from "./work/approvals/pipelines-console.tsx";
import { billsApi } from "./work/bills/api.ts";
import { billsConsole } from "./work/bills/console.tsx";
import { equipmentApi } from "./work/equipment/api.ts";
import { equipmentConsole } from "./work/equipment/console.tsx";
import { customersApi } from "./work/invoices/customers-api.ts";
import { customersConsole } from "./work/invoices/customers-console.tsx";
import { invoiceActionsApi } from "./work/invoices/invoice-actions-api.ts";
import { invoiceFormConsole } from "./work/invoices/invoice-form-console.tsx";
import { invoiceCrudApi } from "./work/invoices/invoices-api.ts";
import { invoicesConsolePages } from "./work/invoices/invoices-console.tsx";
import { invoiceSettingsConsole } from "./work/invoices/settings-console.tsx";
import { projectsApi } from "./work/projects/api.ts";
import { projectsConsole } from "./work/projects/console.tsx";
import { pulseConsole } from "./work/pulse/console.tsx";
import { reportsApi } from "./work/reports/api.ts";
import { reportsConsole } from "./work/reports/console.tsx";
import { reportSchedulesApi } from "./work/reports/schedules/api.ts";
import { reportSchedulesConsole } from "./work/reports/schedules/console.tsx";
import { searchApi } from "./work/search/api.ts";
import { searchConsole } from "./work/search/console.tsx";
import { tasksApi } from "./work/tasks/api.ts";
import { tasksConsole } from "./work/tasks/console.tsx";
import { teamsApi } from "./work/teams/api.ts";
import { teamsConsole } from "./work/teams/console.tsx";
import { timesheetDraftApi } from "./work/time/draft/api.ts";
import { draftConsole } from "./work/time/draft/console.tsx";
import { timeEntriesApi } from "./work/time/entries-api.ts";
import { teamConsole } from "./work/time/team-console.tsx";
import { timerConsole } from "./work/time/timer-console.tsx";
import { timersApi } from "./work/time/timers-api.ts";
import { timesheetsApi } from "./work/time/timesheets-api.ts";
import { weekConsole } from "./work/time/week-console.tsx";

const api = "/api/v1";

/**
 * The whole HTTP surface: every capability's router at its path prefix, each handler's path
 * relative to it. Order matters where paths overlap (a fixed path before a `:param` one), so
 * keep each group where it is.
 */
export function mountRoutes(app: Hono<AppEnv>): void {
  app.route("/", opsRoutes); // /healthz, /readyz

  // JSON API
  app.route(`${api}/setup`, setupApi);
  app.route(api, authApi); // /auth/login, /auth/logout, /me
  app.route(api, twoFactorApi); // /auth/two-factor…, /me/two-factor…
  app.route(api, privacyApi); // /me/export, /users/{id}/export, /users/{id}/erase, /retention
  app.route(api, usersApi); // /users…, /invitations
  app.route(`${api}/me/invitations`, membershipInvitationsApi);
  app.route(`${api}/auth/password-reset`, passwordResetApi);
  app.route(`${api}/me/notification-preferences`, notificationPreferencesApi);
  app.route(`${api}/me/github`, githubConnectionApi);
  app.route(`${api}/me`, myOrganizationsApi);
  app.route(`${api}/roles`, rolesApi);
  app.route(`${api}/security-policy`, securityPolicyApi);
  app.route(`${api}/organization/time-zone`, timeZoneApi);
  app.route(`${api}/organizations`, organizationsApi);
  app.route(`${api}/api-keys`, apiKeysApi);
  app.route(api, auditApi); // /audit-events, /audit-events.csv
  app.route(`${api}/projects`, projectsApi);
  app.route(`${api}/teams`, teamsApi);
  app.route(`${api}/tasks`, tasksApi);
  app.route(`${api}/approval-pipelines`, pipelinesApi);
  app.route(`${api}/approvals`, approvalsApi);
  app.route(`${api}/customers`, customersApi);
  app.route(api, invoiceCrudApi); // /invoices, /invoices.csv, /invoice-settings
  app.route(`${api}/invoices`, invoiceActionsApi);
  app.route(`${api}/bills`, billsApi);
  app.route(api, timeEntriesApi); // /time-entries, /time-entries.csv
  app.route(`${api}/timers`, timersApi);
  app.route(`${api}/timesheets/draft`, timesheetDraftApi); // before /timesheets/:id
  app.route(`${api}/timesheets`, timesheetsApi);
  app.route(`${api}/equipment`, equipmentApi);
  app.route(`${api}/search`, searchApi);
  app.route(`${api}/reports`, reportsApi);
  app.route(`${api}/report-schedules`, reportSchedulesApi);
  app.route(`${api}/conversations`, assistantApi);
  app.route(`${api}/documents`, documentsApi);
  app.route(`${api}/documents`, invoiceReadingApi);
  app.route(`${api}/ai`, aiModelsApi);
  app.route(`${api}/backups`, backupsApi);
  app.route(`${api}/events`, eventsApi);
  app.route(`${api}/notifications`, notificationsApi);
  app.route(`${api}/broadcasts`, broadcastsApi);
  app.route(`${api}/mail/inbound`, inboundMailApi);
  app.route(`${api}/mail/suppressions`, suppressionsApi);
  app.route(`${api}/mail/webhooks`, webhookSettingsApi); // GET/PUT /: the keys
  app.route(`${api}/mail/webhooks`, mailWebhooksApi); // /resend, /sendgrid: signed by the providers, no session or key
  app.route(`${api}/mail/logo`, logoApi);
  app.route(`${api}/jobs`, jobsApi);
  app.route(`${api}/agents`, agentsApi);
  app.route(`${api}/mail`, mailApi); // /mail/settings, /mail/test, /mail/messages…
  app.route("/", openApiRoutes); // /api/v1/openapi.json, /api/docs

  // Console pages
  app.route("/", setupConsole); // /, /setup…
  app.route("/", signInConsole); // /sign-in…, /sign-out
  app.route("/account/export", myExportConsole);
  app.route("/account/notifications", notificationPreferencesConsole);
  app.route("/account/github", githubConsole);
  app.route("/account", accountConsole);
  app.route("/settings/users", usersConsole);
  app.route("/settings/roles", rolesConsole);
  app.route("/settings/security", securityConsole);
  app.route("/settings/organization", organizationSettingsConsole);
  app.route("/settings/privacy", privacyConsole);
  app.route("/organizations/switch", organizationSwitch);
  app.route("/", passwordResetConsole); // /forgot-password, /reset-password
  app.route("/invitations/accept", invitationConsole);
  app.route("/", membershipInvitationConsole); // /invitations/join…, /account/invitations…
  app.route("/settings/api-keys", apiKeysConsole);
  app.route("/settings/audit", auditConsole);
  app.route("/settings/outbox/suppressions", suppressionsConsole);
  app.route("/settings/outbox", outboxConsole);
  app.route("/settings/notifications", notificationDefaultsConsole);
  app.route("/notifications", notificationsConsole);
  app.route("/settings/inbound-mail/oauth", inboundOAuthConsole);
  app.route("/broadcasts", broadcastsConsole);
  app.route("/settings/inbound-mail", inboundMailConsole);
  app.route("/settings/email/oauth", sendingOAuthConsole);
  app.route("/settings/email", mailSettingsConsole);
  app.route("/unsubscribe", unsubscribeConsole);
  app.route("/settings/mail-oauth", mailOAuthCallback); // Google's and Microsoft's redirect back
  app.route("/settings/logo", logoConsole);
  app.route("/pulse/stream", pulseConsole);
  app.route("/projects", projectsConsole);
  app.route("/teams", teamsConsole);
  app.route("/tasks", tasksConsole);
  app.route("/approvals/pipelines", pipelinesConsole);
  app.route("/approvals", approvalsConsole);
  app.route("/invoices/settings", invoiceSettingsConsole);
  app.route("/invoices", invoiceFormConsole);
  app.route("/invoices", invoicesConsolePages);
  app.route("/bills", billsConsole);
  app.route("/customers", customersConsole);
  app.route("/time/draft", draftConsole);
  app.route("/time", weekConsole);
  app.route("/time", timerConsole);
  app.route("/time", teamConsole);
  app.route("/equipment", equipmentConsole);
  app.route("/search", searchConsole);
  app.route("/reports/schedules", reportSchedulesConsole);
  app.route("/reports", reportsConsole);
  app.route("/ask", assistantConsole);
  app.route("/documents", documentsConsole);
  app.route("/settings/ai", aiSettingsConsole);
  app.route("/settings/monitoring", monitoringConsole);
  app.route("/settings/backups", backupsConsole);
  app.route("/jobs", jobsConsole);
  app.route("/agents", agentsConsole);

  // Single sign-on: provider settings (API and console), then the browser's round trip.
  app.route(`${api}/sso-providers`, ssoProvidersApi);
  app.route("/settings/sso", ssoConsole);
  app.route("/auth/sso", ssoFlowRoutes);
}
