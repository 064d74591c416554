import { z } from "zod";
import { jobRunStatuses } from "../../models/jobs.ts";
import { pageQuery } from "../http/cursor.ts";
import { enumList } from "../http/fields.ts";

export const agentIdParam = z.object({ id: z.string().min(1).max(64) });

/** `PATCH /api/v1/agents/{id}`: on/off and settings (checked by the agent's own settings schema). */
export const agentChangeInput = z
  .object({
    enabled: z.boolean().optional(),
    settings: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Only the fields to change; each agent's `settingsSchema` lists them."),
  })
  .refine((body) => body.enabled !== undefined || body.settings !== undefined, {
    message: "Send enabled, settings or both.",
  });

/** `POST /api/v1/agents/{id}/runs`: `dryRun=true` answers what it would do, and does nothing. */
export const agentRunQuery = z.object({
  dryRun: z
    .enum(["true", "false"])
    .default("false")
    .transform((value) => value === "true"),
});

/** `GET /api/v1/agents/{id}/runs` (and the console's history filters). */
export const agentRunListQuery = z.object({
  status: enumList(jobRunStatuses).optional(),
  trigger: z.enum(["schedule", "manual", "event"]).optional(),
  ...pageQuery.shape,
});

/** The console's on/off form. */
export const agentSwitchInput = z.object({ enabled: z.enum(["on", "off"], { error: "Choose on or off." }) });

/** The console's settings form: the posted fields, checked by the agent's own schema in the service. */
export const agentSettingsFormInput = z.object({ settings: z.record(z.string(), z.string()) });
