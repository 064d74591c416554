import { z } from "zod";
import { pageQuery } from "../../http/cursor.ts";
import { userId, userIds } from "../../http/fields.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

export const teamName = z.string().trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");

export const createTeamInput = z.object({
  name: teamName,
  leadId: userId.nullable().optional().describe("The person who approves the members' timesheets."),
  memberIds: userIds.default([]),
});
export type CreateTeamInput = z.infer<typeof createTeamInput>;

export const updateTeamInput = z
  .object({
    name: teamName.optional(),
    leadId: userId.nullable().optional(),
    memberIds: userIds.optional().describe("Replaces the whole member list."),
  })
  .strict();
export type UpdateTeamInput = z.infer<typeof updateTeamInput>;

export const teamListQuery = pageQuery.extend({
  q: z.string().trim().max(80).optional().describe("Part of the name."),
});
export type TeamListQuery = z.infer<typeof teamListQuery>;

export const teamJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  leadId: z.string().nullable(),
  memberIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TeamJson = z.infer<typeof teamJsonSchema>;

export const teamPageSchema = z.object({ data: z.array(teamJsonSchema), nextCursor: z.string().nullable() });
