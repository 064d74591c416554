/** @jsxImportSource hono/jsx */
import type { Permission } from "../../../server/auth/roles/permissions.ts";

/** What each permission lets a key do, in the words of the role table. */
export const scopeLabels: Record<Permission, string> = {
  "workspace.read": "Read projects, tasks, documents and equipment",
  "assistant.ask": "Ask the assistant",
  "tasks.write": "Create and edit tasks, comment, log time",
  "tasks.manage": "Assign tasks and manage a project's tasks",
  "projects.manage": "Create and archive projects and approval pipelines",
  "approvals.decide": "Decide approval steps where the owner is the approver",
  "invoices.manage": "Create, send and mark invoices paid",
  "bills.manage": "Read suppliers' bills, enter them and send them for approval",
  "broadcasts.send": "Send broadcasts to a team, a role or everyone",
  "timesheets.approve": "Approve timesheets",
  "documents.upload": "Upload documents",
  "users.manage": "Manage users",
  "roles.manage": "Manage roles",
  "api_keys.manage": "Create and revoke API keys",
  "settings.manage": "Change settings",
  "agents.manage": "Manage agents",
  "reports.manage": "Schedule reports e-mailed to members",
  "backups.manage": "Manage backups",
  "audit.read": "Read and export the audit log",
};

export const scopeGroups: { label: string; scopes: Permission[] }[] = [
  {
    label: "Work",
    scopes: [
      "workspace.read",
      "assistant.ask",
      "tasks.write",
      "tasks.manage",
      "projects.manage",
      "approvals.decide",
      "invoices.manage",
      "bills.manage",
      "broadcasts.send",
      "timesheets.approve",
      "documents.upload",
    ],
  },
  {
    label: "Administration",
    scopes: [
      "users.manage",
      "roles.manage",
      "api_keys.manage",
      "settings.manage",
      "agents.manage",
      "reports.manage",
      "backups.manage",
      "audit.read",
    ],
  },
];

/** Scope checkboxes in groups; only the scopes the creator has are offered. */
export function ScopeCheckboxes(props: { available: readonly string[]; checked: readonly string[]; error?: string }) {
  return (
    <fieldset class="scope-picker" aria-describedby={props.error ? "scopes-error" : undefined}>
      <legend>Scopes</legend>
      {scopeGroups.map((group) => {
        const scopes = group.scopes.filter((scope) => props.available.includes(scope));
        if (scopes.length === 0) return null;
        return (
          <fieldset class="scope-group">
            <legend>{group.label}</legend>
            {scopes.map((scope) => (
              <label>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  checked={props.checked.includes(scope)}
                  aria-invalid={props.error ? "true" : undefined}
                />
                {scopeLabels[scope]} <code>{scope}</code>
              </label>
            ))}
          </fieldset>
        );
      })}
      {props.error ? <small id="scopes-error">{props.error}</small> : null}
    </fieldset>
  );
}
