import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import { pageOfAll, pageQuery } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { toJobRunJson } from "../jobs/json.ts";
import { listJobRuns } from "../jobs/service.ts";
import { agentJson } from "./json.ts";
import { builtInAgentDefinitions } from "./registry.ts";
import { agentChangeInput, agentIdParam, agentRunListQuery, agentRunQuery } from "./schemas.ts";
import { agentOrNotFound, agentStateOf, changeAgent, listAgentStates, previewAgent, runAgentNow } from "./service.ts";

const tags = ["Agents"];
const docs = {
  list: apiDoc({
    summary: "List the agents with their state in my organisation",
    description: "State (on, off, quarantined), schedule, last and next run, success rate, settings and their schema.",
    tags,
  }),
  get: apiDoc({ summary: "One agent with its state in my organisation", tags }),
  patch: apiDoc({
    summary: "Switch an agent on or off, or change its settings",
    description:
      "Settings are checked by the agent's `settingsSchema`; a refused field is a 422 on `settings.<field>`.",
    tags,
  }),
  run: apiDoc({
    summary: "Run an agent now, or preview what it would do",
    description:
      "With `dryRun=true` the answer (200) lists what a run would do now, and nothing is written. Otherwise the run is queued (202) and the scheduler starts it at once; an open run is answered instead (200).",
    tags,
  }),
  runs: apiDoc({ summary: "An agent's runs in my organisation, newest first", tags }),
};

/** /api/v1/agents: the built-in agents of the organisation, switching them, running them, their runs. */
export const agentsApi = new Hono<AppEnv>()
  .get("/", docs.list, requirePermission("workspace.read"), validate("query", pageQuery), (c) => {
    const states = listAgentStates(serviceContext(c), builtInAgentDefinitions, new Date());
    const page = pageOfAll(states, c.req.valid("query"));
    return c.json({ data: page.data.map(agentJson), nextCursor: page.nextCursor });
  })
  .get("/:id", docs.get, requirePermission("workspace.read"), validate("param", agentIdParam), (c) => {
    const agent = agentOrNotFound(c.req.valid("param").id);
    return c.json(agentJson(agentStateOf(serviceContext(c), agent, new Date())));
  })
  .patch(
    "/:id",
    docs.patch,
    requirePermission("agents.manage"),
    validate("param", agentIdParam),
    validate("json", agentChangeInput),
    (c) => {
      const ctx = serviceContext(c);
      const agent = agentOrNotFound(c.req.valid("param").id);
      changeAgent(ctx, agent, c.req.valid("json"));
      return c.json(agentJson(agentStateOf(ctx, agent, new Date())));
    },
  )
  .post(
    "/:id/runs",
    docs.run,
    requirePermission("agents.manage"),
    validate("param", agentIdParam),
    validate("query", agentRunQuery),
    (c) => {
      const ctx = serviceContext(c);
      const agent = agentOrNotFound(c.req.valid("param").id);
      if (c.req.valid("query").dryRun) {
        return c.json({
          dryRun: true,
          agentId: agent.id,
          preview: previewAgent(ctx, agent, { ...c.var.deps.config, ai: c.var.deps.ai }),
        });
      }
      const { run, created } = runAgentNow(ctx, agent, c.var.deps.jobs);
      return c.json(toJobRunJson(run, agent.name), created ? 202 : 200);
    },
  )
  .get(
    "/:id/runs",
    docs.runs,
    requirePermission("workspace.read"),
    validate("param", agentIdParam),
    validate("query", agentRunListQuery),
    (c) => {
      const ctx = serviceContext(c);
      const agent = agentOrNotFound(c.req.valid("param").id);
      const query = c.req.valid("query");
      const page = listJobRuns(
        ctx,
        { orgId: ctx.orgId, box: false },
        { jobId: agent.id, status: query.status, trigger: query.trigger, cursor: query.cursor, limit: query.limit },
      );
      return c.json({ data: page.data.map((run) => toJobRunJson(run, agent.name)), nextCursor: page.nextCursor });
    },
  );
