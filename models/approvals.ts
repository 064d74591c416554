import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

export const approvalSubjectTypes = ["invoice", "timesheet", "document", "bill", "purchase", "other"] as const;
export type ApprovalSubjectType = (typeof approvalSubjectTypes)[number];

/**
 * One step's approver: a person, or a role (built-in key like `manager` or a custom role id)
 * where `rule` says whether any one holder of the role decides or all of them must approve.
 */
export type ApprovalStepSpec = {
  name: string;
  approverType: "user" | "role";
  approverUserId: string | null;
  approverRole: string | null;
  rule: "any" | "all";
};

export const approvalPipelines = sqliteTable(
  "approval_pipelines",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    /** The subject this pipeline is for by default; null = any. */
    subjectType: text("subject_type", { enum: approvalSubjectTypes }),
    description: text("description").notNull().default(""),
    archivedAt: timestamp("archived_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("approval_pipelines_org_name_unique").on(table.orgId, table.name)],
);
export type ApprovalPipeline = typeof approvalPipelines.$inferSelect;

export const approvalSteps = sqliteTable(
  "approval_steps",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    pipelineId: text("pipeline_id")
      .notNull()
      .references(() => approvalPipelines.id, { onDelete: "cascade" }),
    /** 0-based order. */
    position: integer("position").notNull(),
    name: text("name").notNull(),
    approverType: text("approver_type", { enum: ["user", "role"] }).notNull(),
    approverUserId: text("approver_user_id").references(() => users.id),
    approverRole: text("approver_role"),
    rule: text("rule", { enum: ["any", "all"] })
      .notNull()
      .default("any"),
  },
  (table) => [uniqueIndex("approval_steps_pipeline_position_unique").on(table.pipelineId, table.position)],
);
export type ApprovalStep = typeof approvalSteps.$inferSelect;

/** How long a step has waited, as the approval nudger ranks it. */
export const approvalUrgencies = ["low", "medium", "high", "critical"] as const;
export type ApprovalUrgency = (typeof approvalUrgencies)[number];

export const approvalStatuses = ["pending", "approved", "rejected", "cancelled"] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

export const approvalRequests = sqliteTable(
  "approval_requests",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    pipelineId: text("pipeline_id")
      .notNull()
      .references(() => approvalPipelines.id),
    subjectType: text("subject_type", { enum: approvalSubjectTypes }).notNull(),
    /** The invoice, timesheet or document; null for a purchase or free-form request. */
    subjectId: text("subject_id"),
    title: text("title").notNull(),
    /** Minor units, with `currency`; for purchases and free-form requests. */
    amount: integer("amount"),
    currency: text("currency"),
    details: text("details").notNull().default(""),
    /** The pipeline's steps as they were when the request started: later edits do not reroute it. */
    steps: text("steps", { mode: "json" }).$type<ApprovalStepSpec[]>().notNull(),
    status: text("status", { enum: approvalStatuses }).notNull().default("pending"),
    /** 0-based index into `steps`; equals steps.length once approved. */
    currentStep: integer("current_step").notNull().default(0),
    requestedBy: text("requested_by").references(() => users.id),
    /** How urgent the approval nudger found the waiting step (`urgencyStep`); stale once the step moves on. */
    urgency: text("urgency", { enum: approvalUrgencies }),
    urgencyStep: integer("urgency_step"),
    completedAt: timestamp("completed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("approval_requests_org_status_idx").on(table.orgId, table.status, table.id),
    // The list without a status filter, newest first (keyset on id).
    index("approval_requests_org_id_idx").on(table.orgId, table.id),
    index("approval_requests_subject_idx").on(table.orgId, table.subjectType, table.subjectId),
  ],
);
export type ApprovalRequest = typeof approvalRequests.$inferSelect;

export const approvalDecisions = sqliteTable(
  "approval_decisions",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    requestId: text("request_id")
      .notNull()
      .references(() => approvalRequests.id, { onDelete: "cascade" }),
    stepIndex: integer("step_index").notNull(),
    deciderId: text("decider_id")
      .notNull()
      .references(() => users.id),
    decision: text("decision", { enum: ["approve", "reject"] }).notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
  },
  (table) => [index("approval_decisions_request_idx").on(table.requestId, table.id)],
);
export type ApprovalDecision = typeof approvalDecisions.$inferSelect;

/** A comment on a request: the requester, its approvers and pipeline managers talk it over. */
export const approvalComments = sqliteTable(
  "approval_comments",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    requestId: text("request_id")
      .notNull()
      .references(() => approvalRequests.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id),
    /** Markdown, rendered safely. */
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (table) => [index("approval_comments_request_idx").on(table.requestId, table.id)],
);
export type ApprovalComment = typeof approvalComments.$inferSelect;
