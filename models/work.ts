import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, timestamp, updatedAt } from "./columns.ts";
import { users } from "./identity.ts";
import { orgId } from "./org-column.ts";

export const projectStatuses = ["active", "on_hold", "archived"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projects = sqliteTable(
  "projects",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    /** Short, unique in the organisation, upper case: `WEB`, `FIT-OUT`. */
    code: text("code").notNull(),
    description: text("description").notNull().default(""),
    status: text("status", { enum: projectStatuses }).notNull().default("active"),
    ownerId: text("owner_id").references(() => users.id),
    /** Days as `YYYY-MM-DD`. */
    startDate: text("start_date"),
    targetDate: text("target_date"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex("projects_org_code_unique").on(table.orgId, table.code),
    index("projects_org_status_idx").on(table.orgId, table.status, table.id),
    // The list without a status filter, newest first (keyset on id).
    index("projects_org_id_idx").on(table.orgId, table.id),
  ],
);
export type Project = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;

export const projectMembers = sqliteTable(
  "project_members",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: orgId(),
  },
  (table) => [
    primaryKey({ columns: [table.projectId, table.userId] }),
    index("project_members_user_idx").on(table.userId),
  ],
);

export const taskStatuses = ["todo", "in_progress", "blocked", "review", "done"] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const taskPriorities = ["low", "medium", "high", "urgent"] as const;
export type TaskPriority = (typeof taskPriorities)[number];

export const tasks = sqliteTable(
  "tasks",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    projectId: text("project_id").references(() => projects.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    /** Markdown, rendered safely. */
    description: text("description").notNull().default(""),
    status: text("status", { enum: taskStatuses }).notNull().default("todo"),
    priority: text("priority", { enum: taskPriorities }).notNull().default("medium"),
    assigneeId: text("assignee_id").references(() => users.id),
    reporterId: text("reporter_id").references(() => users.id),
    dueAt: timestamp("due_at"),
    estimateMinutes: integer("estimate_minutes"),
    labels: text("labels", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    /** Order of the card inside its board column (smaller first). */
    position: real("position").notNull().default(0),
    completedAt: timestamp("completed_at"),
    /** Exact time of the last change or comment: agents find stuck work by it. */
    lastActivityAt: timestamp("last_activity_at").notNull(),
    /**
     * When the stuck-task agent flagged it. The flag stands while no activity came after it
     * (`stuckAt > lastActivityAt`): any change or comment clears it without touching this.
     */
    stuckAt: timestamp("stuck_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("tasks_org_id_idx").on(table.orgId, table.id),
    index("tasks_org_status_idx").on(table.orgId, table.status, table.id),
    index("tasks_org_assignee_status_idx").on(table.orgId, table.assigneeId, table.status, table.id),
    index("tasks_org_project_idx").on(table.orgId, table.projectId, table.id),
    // Covers a project's progress (counts by status) without reading the tasks themselves.
    index("tasks_org_project_status_idx").on(table.orgId, table.projectId, table.status),
    index("tasks_org_activity_idx").on(table.orgId, table.lastActivityAt),
    index("tasks_org_due_idx").on(table.orgId, table.dueAt),
    // A person's open work by due date (the Pulse's "my open" and "overdue").
    index("tasks_org_assignee_due_idx").on(table.orgId, table.assigneeId, table.dueAt, table.id),
  ],
);
export type Task = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;

export const taskComments = sqliteTable(
  "task_comments",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    authorId: text("author_id").references(() => users.id),
    /** Markdown, rendered safely. */
    body: text("body").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index("task_comments_task_idx").on(table.taskId, table.id)],
);
export type TaskComment = typeof taskComments.$inferSelect;

/** Every change of a task: who, when, which field, from and to (values as JSON text). */
export const taskChanges = sqliteTable(
  "task_changes",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    taskId: text("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    /** null when the box itself (an agent) made the change. */
    actorId: text("actor_id").references(() => users.id),
    /** The agent that made the change (`stuck-tasks`), when an agent did. */
    actorAgentId: text("actor_agent_id"),
    field: text("field").notNull(),
    fromValue: text("from_value"),
    toValue: text("to_value"),
    createdAt: createdAt(),
  },
  (table) => [index("task_changes_task_idx").on(table.taskId, table.id)],
);
export type TaskChange = typeof taskChanges.$inferSelect;

export const teams = sqliteTable(
  "teams",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    leadId: text("lead_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex("teams_org_name_unique").on(table.orgId, table.name)],
);
export type Team = typeof teams.$inferSelect;

export const teamMembers = sqliteTable(
  "team_members",
  {
    teamId: text("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: orgId(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] }), index("team_members_user_idx").on(table.userId)],
);

export const equipmentStatuses = ["in_service", "in_repair", "out_of_service", "retired"] as const;
export type EquipmentStatus = (typeof equipmentStatuses)[number];

export const equipment = sqliteTable(
  "equipment",
  {
    id: text("id").primaryKey(),
    orgId: orgId(),
    name: text("name").notNull(),
    type: text("type").notNull().default(""),
    manufacturer: text("manufacturer").notNull().default(""),
    model: text("model").notNull().default(""),
    serialNumber: text("serial_number").notNull().default(""),
    location: text("location").notNull().default(""),
    status: text("status", { enum: equipmentStatuses }).notNull().default("in_service"),
    purchaseDate: text("purchase_date"),
    warrantyEnd: text("warranty_end"),
    notes: text("notes").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index("equipment_org_idx").on(table.orgId, table.id),
    // The list's type and location filters: their distinct values are read by seeking these.
    index("equipment_org_type_idx").on(table.orgId, table.type),
    index("equipment_org_location_idx").on(table.orgId, table.location),
  ],
);
export type Equipment = typeof equipment.$inferSelect;

export const equipmentProjects = sqliteTable(
  "equipment_projects",
  {
    equipmentId: text("equipment_id")
      .notNull()
      .references(() => equipment.id, { onDelete: "cascade" }),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    orgId: orgId(),
  },
  (table) => [
    primaryKey({ columns: [table.equipmentId, table.projectId] }),
    index("equipment_projects_project_idx").on(table.projectId),
  ],
);
