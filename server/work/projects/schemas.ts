import { z } from "zod";
import { projectStatuses } from "../../../models/work.ts";
import { pageQuery } from "../../http/cursor.ts";
import { day, enumList, text, userId, userIds } from "../../http/fields.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

export const projectName = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

/** Upper case letters, digits and dashes: `WEB`, `FIT-OUT`. Lower case input is raised. */
export const projectCode = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(
    z
      .string()
      .min(1, "Enter a short code, like WEB.")
      .max(20, "Use at most 20 characters.")
      .regex(/^[A-Z0-9][A-Z0-9-]*$/, "Use letters, digits and dashes, starting with a letter or digit."),
  );

const projectFields = {
  name: projectName,
  code: projectCode,
  description: text(10_000),
  status: z.enum(projectStatuses, { error: "Choose active, on_hold or archived." }),
  ownerId: userId.nullable(),
  memberIds: userIds,
  startDate: day.nullable(),
  targetDate: day.nullable(),
};

/** Target not before start, for whichever of the two a request carries. */
function datesInOrder(input: { startDate?: string | null; targetDate?: string | null }): boolean {
  return !input.startDate || !input.targetDate || input.targetDate >= input.startDate;
}
const datesMessage = { message: "The target date cannot be before the start date.", path: ["targetDate"] };

export const createProjectInput = z
  .object({
    name: projectFields.name,
    code: projectFields.code,
    description: projectFields.description.default(""),
    status: projectFields.status.default("active"),
    ownerId: projectFields.ownerId.optional().describe("Defaults to the caller."),
    memberIds: projectFields.memberIds.default([]),
    startDate: projectFields.startDate.optional(),
    targetDate: projectFields.targetDate.optional(),
    template: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .optional()
      .describe("Name of one of the organisation's project templates: its tasks are created with the project."),
  })
  .refine(datesInOrder, datesMessage);
export type CreateProjectInput = z.infer<typeof createProjectInput>;

export const updateProjectInput = z
  .object({
    name: projectFields.name.optional(),
    code: projectFields.code.optional(),
    description: projectFields.description.optional(),
    status: projectFields.status.optional().describe("`archived` archives the project."),
    ownerId: projectFields.ownerId.optional(),
    memberIds: projectFields.memberIds.optional().describe("Replaces the whole member list."),
    startDate: projectFields.startDate.optional(),
    targetDate: projectFields.targetDate.optional(),
  })
  .strict()
  .refine(datesInOrder, datesMessage);
export type UpdateProjectInput = z.infer<typeof updateProjectInput>;

export const projectListQuery = pageQuery.extend({
  status: enumList(projectStatuses).optional().describe("One status or several, comma-separated."),
  ownerId: z.string().trim().max(64).optional(),
  q: z.string().trim().max(120).optional().describe("Part of the name or the code."),
});
export type ProjectListQuery = z.infer<typeof projectListQuery>;

/** GET /projects/choices: what was typed in a project field (the task form's `project`). */
export const projectChoicesQuery = z.object({
  project: z.string().trim().max(120, "Use at most 120 characters.").default(""),
});

export const projectJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  code: z.string(),
  description: z.string(),
  status: z.enum(projectStatuses),
  ownerId: z.string().nullable(),
  memberIds: z.array(z.string()),
  startDate: z.string().nullable(),
  targetDate: z.string().nullable(),
  progress: z
    .object({ total: z.number().int(), done: z.number().int(), percent: z.number().int() })
    .describe("The project's tasks: how many, how many done, and the share done (0–100, rounded down)."),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ProjectJson = z.infer<typeof projectJsonSchema>;

export const projectPageSchema = z.object({ data: z.array(projectJsonSchema), nextCursor: z.string().nullable() });
