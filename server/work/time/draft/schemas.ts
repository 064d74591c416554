import { z } from "zod";
import { timesheetStatuses } from "../../../../models/time.ts";
import { isMonday } from "../../../tools/days.ts";
import { timeEntryJsonSchema } from "../json-schemas.ts";
import { day, entryMinutes } from "../schemas.ts";

/** A week by its Monday. */
const week = day.refine(isMonday, "A week starts on a Monday: use that Monday's date.");
const key = z.string().trim().min(1).max(300);

export const draftQuery = z.object({ week }).strict();
export type DraftQuery = z.infer<typeof draftQuery>;

export const acceptDraftInput = z
  .object({
    week,
    suggestions: z
      .array(
        z
          .object({
            key,
            /** Changed minutes; the suggestion's own by default. */
            minutes: entryMinutes.optional(),
            note: z.string().trim().max(2000, "Use at most 2000 characters.").optional(),
            /** A project for a suggestion without one (commits); a task's suggestion keeps its task's. */
            projectId: z.string().trim().min(1).max(64).optional(),
          })
          .strict(),
      )
      .min(1, "Choose at least one suggestion.")
      .max(200),
  })
  .strict();
export type AcceptDraftInput = z.infer<typeof acceptDraftInput>;

export const discardDraftInput = z
  .object({ week, keys: z.array(key).min(1, "Choose at least one suggestion.").max(200) })
  .strict();
export type DiscardDraftInput = z.infer<typeof discardDraftInput>;

const suggestionJsonSchema = z.object({
  key: z.string().describe("Names the suggestion in accept and discard"),
  date: z.string().describe("YYYY-MM-DD"),
  source: z.enum(["tasks", "github"]),
  taskId: z.string().nullable(),
  projectId: z.string().nullable().describe("null for commits: accept them with a projectId"),
  label: z.string(),
  minutes: z.number().int(),
  note: z.string(),
  evidence: z.array(z.string()),
});

export const draftJsonSchema = z.object({
  weekStart: z.string(),
  weekEnd: z.string(),
  status: z.enum(timesheetStatuses),
  locked: z.boolean().describe("Submitted or approved: nothing can be added until it is reopened"),
  github: z.object({
    status: z.enum(["none", "connected", "reconnect", "unavailable"]),
    login: z.string().nullable(),
  }),
  suggestions: z.array(suggestionJsonSchema),
});

export const acceptedJsonSchema = z.object({ data: z.array(timeEntryJsonSchema) });
export const discardedJsonSchema = z.object({ discarded: z.number().int() });
