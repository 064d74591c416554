/**
 * Permissions are data: this table is the only place that says what each role may do.
 * Route guards, API key scopes and custom roles are all built from these names.
 */
export const permissions = [
  "workspace.read", // read projects, tasks, documents, equipment
  "assistant.ask",
  "tasks.write", // create/edit tasks, comment, log time (members: their own or assigned work)
  "tasks.manage", // assign tasks, manage a project's tasks
  "projects.manage", // create/archive projects, approval pipelines
  "approvals.decide", // only where the person is the step's approver
  "invoices.manage", // create, send, mark paid
  "bills.manage", // suppliers' bills: read, create, edit, send for approval, mark paid
  "broadcasts.send", // write to a team, a role or the whole organisation
  "timesheets.approve", // team leads: their own team
  "documents.upload",
  "users.manage",
  "roles.manage",
  "api_keys.manage",
  "settings.manage",
  "agents.manage",
  "reports.manage", // schedule reports e-mailed to members (each sees only what their own role shows)
  "backups.manage",
  "audit.read",
] as const;

export type Permission = (typeof permissions)[number];

export const builtInRoles = ["admin", "manager", "team_lead", "member", "viewer"] as const;
export type BuiltInRole = (typeof builtInRoles)[number];

export const roleLabels: Record<BuiltInRole, string> = {
  admin: "Admin",
  manager: "Manager",
  team_lead: "Team Lead",
  member: "Team Member",
  viewer: "Viewer",
};

const everyone: Permission[] = ["workspace.read", "assistant.ask"];
const contributor: Permission[] = [...everyone, "tasks.write", "approvals.decide", "documents.upload"];
const lead: Permission[] = [...contributor, "tasks.manage", "timesheets.approve"];
const manager: Permission[] = [...lead, "projects.manage", "invoices.manage", "bills.manage", "broadcasts.send"];

/** The role table of docs/architecture.md. */
export const rolePermissions: Record<BuiltInRole, ReadonlySet<Permission>> = {
  admin: new Set(permissions),
  manager: new Set(manager),
  team_lead: new Set(lead),
  member: new Set(contributor),
  viewer: new Set(everyone),
};

export function isBuiltInRole(role: string): role is BuiltInRole {
  return (builtInRoles as readonly string[]).includes(role);
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}
