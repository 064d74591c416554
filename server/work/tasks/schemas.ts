import { z } from "zod";
import { taskPriorities, taskStatuses } from "../../../models/work.ts";
import { pageQuery } from "../../http/cursor.ts";
import { isId } from "../../tools/ids.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

export const MAX_LABELS = 20;

const title = z.string().trim().min(1, "Enter a title.").max(200, "Use at most 200 characters.");
const description = z.string().max(20_000, "Use at most 20,000 characters.");
const status = z.enum(taskStatuses, { error: "Choose todo, in_progress, blocked, review or done." });
const priority = z.enum(taskPriorities, { error: "Choose low, medium, high or urgent." });
const projectId = z
  .string()
  .trim()
  .refine((value) => isId("prj", value), { message: "Use a project's id (prj_…)." });
const personId = z
  .string()
  .trim()
  .refine((value) => isId("usr", value), { message: "Use a person's id (usr_…)." });

/**
 * A moment: an ISO 8601 date-time, or a bare day `YYYY-MM-DD`, which means the end of that day
 * (UTC), so that a task due today is not overdue until the day is over. As the lower bound of a
 * filter (`dueAfter`) a bare day means its start instead, so that both bounds include their day.
 */
function momentOf(edge: "start" | "end") {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const date = parseMoment(value, edge);
      if (!date) {
        ctx.addIssue({ code: "custom", message: "Use a date like 2026-03-31 or a time like 2026-03-31T17:00:00Z." });
        return z.NEVER;
      }
      return date;
    });
}
export const moment = momentOf("end");

export function parseMoment(value: string, edge: "start" | "end" = "end"): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T${edge === "end" ? "23:59:59.999" : "00:00:00.000"}Z`);
    return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value ? null : date;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const estimateMinutes = z
  .number({ error: "Use a whole number of minutes." })
  .int("Use a whole number of minutes.")
  .min(0, "Use zero or more minutes.")
  .max(1_000_000, "Use at most 1,000,000 minutes.");

/** Labels are trimmed, lower-cased and deduplicated; empty ones are dropped; at most 20. */
export const labels = z
  .array(z.string().max(40, "Use at most 40 characters per label."), { error: "Send labels as a list of strings." })
  .transform((values) => [...new Set(values.map((value) => value.trim().toLowerCase()).filter(Boolean))])
  .pipe(z.array(z.string()).max(MAX_LABELS, `Use at most ${MAX_LABELS} labels.`));

export const createTaskInput = z
  .object({
    title,
    description: description.default(""),
    status: status.default("todo"),
    priority: priority.default("medium"),
    projectId: projectId.nullable().optional(),
    assigneeId: personId.nullable().optional(),
    dueAt: moment
      .nullable()
      .optional()
      .describe("ISO 8601 time, or a day YYYY-MM-DD meaning the end of that day (UTC)."),
    estimateMinutes: estimateMinutes.nullable().optional(),
    labels: labels.default([]).describe("Trimmed, lower-cased and deduplicated; at most 20."),
  })
  .strict();
export type CreateTaskInput = z.infer<typeof createTaskInput>;

export const updateTaskInput = z
  .object({
    title: title.optional(),
    description: description.optional(),
    status: status.optional(),
    priority: priority.optional(),
    projectId: projectId.nullable().optional(),
    assigneeId: personId.nullable().optional(),
    dueAt: moment.nullable().optional(),
    estimateMinutes: estimateMinutes.nullable().optional(),
    labels: labels.optional(),
  })
  .strict();
export type UpdateTaskInput = z.infer<typeof updateTaskInput>;

/** `?status=todo,review` or repeated: a list of statuses. */
const statusList = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) =>
    (Array.isArray(raw) ? raw : [raw])
      .flatMap((item) => item.split(","))
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(z.array(status).max(taskStatuses.length))
  .transform((values) => [...new Set(values)]);

export const taskListQuery = pageQuery.extend({
  status: statusList.optional().describe("One status or a comma list: todo,review."),
  assigneeId: z
    .string()
    .trim()
    .refine((value) => value === "me" || value === "none" || isId("usr", value), {
      message: 'Use a person\'s id, "me" or "none".',
    })
    .optional()
    .describe('A person\'s id, "me" or "none" (unassigned).'),
  projectId: projectId.optional(),
  label: z.string().trim().toLowerCase().min(1).max(40).optional(),
  dueBefore: moment.optional().describe("Due at or before; a bare day includes the whole day."),
  dueAfter: momentOf("start").optional().describe("Due at or after; a bare day includes the whole day."),
  overdue: z.enum(["true", "false"]).optional().describe("true: due in the past and not done."),
  q: z
    .string()
    .trim()
    .max(200, "Use at most 200 characters.")
    .optional()
    .describe("Words of the title (prefix match)."),
});
export type TaskListQuery = z.infer<typeof taskListQuery>;

export const commentInput = z.object({
  body: z.string().trim().min(1, "Write a comment.").max(10_000, "Use at most 10,000 characters."),
});
export type CommentInput = z.infer<typeof commentInput>;

/** A board move: the column (status) and the 0-based place in it, as the board shows it. */
export const moveTaskInput = z.object({
  status,
  position: z.coerce.number().int().min(0).max(10_000).default(0),
  /** The board's project filter, so that the place counts among the cards the board shows. */
  projectId: projectId.optional(),
});
export type MoveTaskInput = z.infer<typeof moveTaskInput>;

const iso = z.iso.datetime();
export const taskJsonSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().describe("Markdown."),
  status,
  priority,
  projectId: z.string().nullable(),
  assigneeId: z.string().nullable(),
  reporterId: z.string().nullable(),
  dueAt: iso.nullable(),
  estimateMinutes: z.number().int().nullable(),
  labels: z.array(z.string()),
  position: z.number(),
  completedAt: iso.nullable(),
  lastActivityAt: iso,
  createdAt: iso,
  updatedAt: iso,
});
export const taskPageSchema = z.object({ data: z.array(taskJsonSchema), nextCursor: z.string().nullable() });

export const commentJsonSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: iso,
});
export const commentPageSchema = z.object({ data: z.array(commentJsonSchema), nextCursor: z.string().nullable() });

export const changeJsonSchema = z.object({
  id: z.string(),
  actorId: z.string().nullable(),
  actorAgentId: z.string().nullable().describe("The agent that made the change (`stuck-tasks`), when an agent did."),
  field: z.string().describe('A task field, "created", or "stuck" (flagged by the stuck-task agent).'),
  from: z.unknown(),
  to: z.unknown(),
  at: iso,
});
export const historyPageSchema = z.object({ data: z.array(changeJsonSchema), nextCursor: z.string().nullable() });
