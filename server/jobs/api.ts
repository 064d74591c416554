import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { toJobRunJson } from "./json.ts";
import { jobRunQuery, runIdParam } from "./schemas.ts";
import { cancelJobRun, listJobRuns, readerOf } from "./service.ts";

const docs = {
  list: apiDoc({
    summary: "List background job runs (running, queued and recent), newest first",
    description:
      "An organisation's admins see its runs; the box's instance admin also sees the box's own jobs (organizationId null).",
    tags: ["Jobs"],
  }),
  cancel: apiDoc({ summary: "Cancel a queued, running or retrying job run", tags: ["Jobs"] }),
};

/** /api/v1/jobs: the runs of background jobs, and cancelling one. */
export const jobsApi = new Hono<AppEnv>()
  .get("/", docs.list, requirePermission("agents.manage"), validate("query", jobRunQuery), (c) => {
    const ctx = serviceContext(c);
    const query = c.req.valid("query");
    const page = listJobRuns(ctx, readerOf(ctx, isInstanceAdmin(c)), {
      jobId: query.jobId,
      status: query.status,
      cursor: query.cursor,
      limit: query.limit,
    });
    const titleOf = (jobId: string) => c.var.deps.jobs?.definition(jobId)?.title ?? null;
    return c.json({ data: page.data.map((run) => toJobRunJson(run, titleOf(run.jobId))), nextCursor: page.nextCursor });
  })
  .post("/:runId/cancel", docs.cancel, requirePermission("agents.manage"), validate("param", runIdParam), async (c) => {
    const ctx = serviceContext(c);
    const { jobs } = c.var.deps;
    const run = await cancelJobRun(ctx, readerOf(ctx, isInstanceAdmin(c)), c.req.valid("param").runId, jobs);
    return c.json(toJobRunJson(run, jobs?.definition(run.jobId)?.title ?? null));
  });
