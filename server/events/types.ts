import type { ApprovalSubjectType } from "../../models/approvals.ts";
import type { Permission } from "../auth/roles/permissions.ts";

/**
 * What reading each kind of record needs; the feed shows an event to exactly the people who may
 * read the record it describes. Timesheets, time entries and timers are the strict
 * `timesheets.approve`: the feed holds one permission per event, so their owners do not see
 * their own weeks in it (their Pulse sections still refresh), and a Team Lead sees the events of
 * every team, not only the teams they lead (their time pages stay scoped to their teams).
 */
export const recordReadPermission = {
  task: "workspace.read",
  project: "workspace.read",
  team: "workspace.read",
  equipment: "workspace.read",
  document: "workspace.read",
  approval_pipeline: "workspace.read",
  purchase: "workspace.read",
  other: "workspace.read",
  agent: "workspace.read",
  invoice: "invoices.manage",
  customer: "invoices.manage",
  bill: "bills.manage",
  timesheet: "timesheets.approve",
  time_entry: "timesheets.approve",
  timer: "timesheets.approve",
  // Who a broadcast went to is the senders' business; each recipient has it as a notification.
  broadcast: "broadcasts.send",
} as const satisfies Record<string, Permission> & Record<ApprovalSubjectType, Permission>;
export type RecordKind = keyof typeof recordReadPermission;

/**
 * Every event type and the kind of record it describes: a new type is published only once it
 * is listed here, so its visibility is a decision, never a default. An approval event is about
 * what its request approves (an invoice's approval needs invoices.manage).
 */
export const eventTypes = {
  "task.created": "task",
  "task.updated": "task",
  "task.reordered": "task",
  "task.commented": "task",
  "task.deleted": "task",
  "task.stuck": "task",
  "project.created": "project",
  "project.updated": "project",
  "project.archived": "project",
  "team.created": "team",
  "team.updated": "team",
  "team.deleted": "team",
  "equipment.created": "equipment",
  "equipment.updated": "equipment",
  "equipment.deleted": "equipment",
  "document.created": "document",
  "document.updated": "document",
  "document.status_changed": "document",
  "document.approval_changed": "document",
  "document.deleted": "document",
  "approval_pipeline.created": "approval_pipeline",
  "approval_pipeline.updated": "approval_pipeline",
  "approval_pipeline.archived": "approval_pipeline",
  "approval.requested": "approval",
  "approval.decided": "approval",
  "approval.completed": "approval",
  "approval.rejected": "approval",
  "approval.cancelled": "approval",
  "approval.nudged": "approval",
  "approval.commented": "approval",
  "invoice.created": "invoice",
  "invoice.updated": "invoice",
  "invoice.status_changed": "invoice",
  "invoice.deleted": "invoice",
  "invoice.reminded": "invoice",
  "bill.created": "bill",
  "bill.updated": "bill",
  "bill.status_changed": "bill",
  "bill.review_requested": "bill",
  "customer.created": "customer",
  "customer.updated": "customer",
  "customer.deleted": "customer",
  "timesheet.submitted": "timesheet",
  "timesheet.reopened": "timesheet",
  "timesheet.approved": "timesheet",
  "timesheet.rejected": "timesheet",
  "timesheet.draft_ready": "timesheet",
  "time_entry.created": "time_entry",
  "time_entry.updated": "time_entry",
  "time_entry.deleted": "time_entry",
  "timer.started": "timer",
  "timer.stopped": "timer",
  "broadcast.sent": "broadcast",
  "broadcast.delivered": "broadcast",
  "agent.run.started": "agent",
  "agent.run.succeeded": "agent",
  "agent.run.failed": "agent",
  "agent.run.quarantined": "agent",
  "agent.digest.sent": "agent",
} as const satisfies Record<string, RecordKind | "approval">;
export type EventType = keyof typeof eventTypes;

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(eventTypes, value);
}

/**
 * The permission stored with an event: what reading its record needs, or null when reading the
 * workspace is enough (the column's "everyone"). `approves` names what an approval's request approves.
 */
export function eventPermission(type: EventType, approves?: ApprovalSubjectType): Permission | null {
  if (!isEventType(type)) throw new Error(`Unknown event type ${type}: list it in server/events/types.ts.`);
  const record = eventTypes[type];
  if (record === "approval" && approves === undefined) throw new Error(`${type} must say what its request approves.`);
  const permission = recordReadPermission[record === "approval" ? (approves ?? "other") : record];
  return permission === "workspace.read" ? null : permission;
}
