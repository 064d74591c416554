import { z } from "zod";
import { jobRunStatuses } from "../../models/jobs.ts";
import { pageQuery } from "../http/cursor.ts";
import { enumList } from "../http/fields.ts";

/** `GET /api/v1/jobs`: filters of the run list. */
export const jobRunQuery = z.object({
  jobId: z.string().trim().max(100).optional(),
  /** One status, a comma-separated list (`running,queued`) or the parameter repeated. */
  status: enumList(jobRunStatuses).optional(),
  ...pageQuery.shape,
});

export const runIdParam = z.object({ runId: z.string().min(1).max(64) });

/** The console's release and cancel forms: which job (and scope) or which run. */
export const releaseInput = z.object({
  jobId: z.string().trim().min(1, "Choose a job.").max(100),
  scope: z.enum(["box", "organization"], { error: "Choose the box or this organisation." }),
});
export const cancelInput = z.object({ runId: z.string().trim().min(1, "Choose a run.").max(64) });
