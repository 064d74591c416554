import { z } from "zod";
import { pageQuery } from "../http/cursor.ts";

const dateTime = z.iso.datetime({ offset: true, error: "Use an ISO 8601 date-time, like 2030-01-31T00:00:00Z." });

/** Filters of the audit log, shared by the JSON list and the CSV export. */
export const auditEventQuery = z.object({
  /** One action or a comma-separated list: `api_key.created,api_key.revoked`. */
  action: z
    .string()
    .max(1000)
    .optional()
    .transform((text) => {
      const actions = (text ?? "")
        .split(",")
        .map((action) => action.trim())
        .filter(Boolean);
      return actions.length > 0 ? actions : undefined;
    }),
  actorId: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(128).optional(),
  from: dateTime.optional(),
  to: dateTime.optional(),
  ...pageQuery.shape,
  format: z.enum(["json", "csv"]).default("json"),
});
export type AuditEventQuery = z.infer<typeof auditEventQuery>;

const day = z.union([z.literal(""), z.iso.date("Use a date like 2030-01-31.")]).default("");

/** The console's filter form: dates as days (UTC), one action, one person. */
export const auditConsoleQuery = z.object({
  action: z.string().trim().max(100).default(""),
  actorId: z.string().trim().max(64).default(""),
  from: day,
  to: day,
  cursor: z.string().max(64).optional(),
});
export type AuditConsoleQuery = z.infer<typeof auditConsoleQuery>;
