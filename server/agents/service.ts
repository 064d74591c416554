import { and, desc, eq } from "drizzle-orm";
import { type JobRun, jobRuns } from "../../models/jobs.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { AppError, notFound, validationFailed } from "../http/errors.ts";
import { nextRunAfter } from "../jobs/definition.ts";
import { isQuarantined, listQuarantines } from "../jobs/quarantine.ts";
import type { JobScheduler } from "../jobs/scheduler.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import type { AgentAi, AnyAgent } from "./definition.ts";
import { findAgent } from "./registry.ts";
import { dryRunAgent } from "./run.ts";
import { ENABLED_KEY, enabledAgents, SETTINGS_KEY, settingsOf, storedAgentSettings } from "./settings.ts";

/** Finished runs the success rate is counted over. */
const RATE_OVER = 50;

/** An agent as an organisation's admins see it. */
export type AgentState = {
  agent: AnyAgent;
  enabled: boolean;
  quarantine: { since: Date; reason: string } | null;
  lastRun: JobRun | null;
  /** Null when it does not run by itself (off or quarantined). */
  nextRunAt: Date | null;
  /** Share of its last finished runs that succeeded, 0–1; null before the first. */
  successRate: number | null;
  settings: Record<string, unknown>;
};

export function agentOrNotFound(id: string): AnyAgent {
  const agent = findAgent(id);
  if (!agent) throw notFound("agent");
  return agent;
}

/** Every agent's state in the context's organisation. */
export function listAgentStates(ctx: Pick<ServiceContext, "db" | "orgId">, agents: readonly AnyAgent[], now: Date) {
  const enabled = enabledAgents(ctx.db, ctx.orgId);
  const quarantines = new Map(
    listQuarantines(ctx.db, { orgId: ctx.orgId, box: false }).map((item) => [item.jobId, item] as const),
  );
  return agents.map((agent): AgentState => {
    const recent = ctx.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.jobId, agent.id), eq(jobRuns.orgId, ctx.orgId)))
      .orderBy(desc(jobRuns.id))
      .limit(RATE_OVER)
      .all();
    const finished = recent.filter((run) => !["queued", "running", "retrying"].includes(run.status));
    const quarantine = quarantines.get(agent.id);
    const on = enabled.has(agent.id);
    return {
      agent,
      enabled: on,
      quarantine: quarantine ? { since: quarantine.since, reason: quarantine.reason } : null,
      lastRun: recent[0] ?? null,
      nextRunAt: on && !quarantine ? new Date(nextRunAfter({ cron: agent.schedule.cron }, now.getTime())) : null,
      successRate:
        finished.length === 0 ? null : finished.filter((run) => run.status === "succeeded").length / finished.length,
      settings: settingsOf(ctx.db, ctx.orgId, agent),
    };
  });
}

export function agentStateOf(ctx: Pick<ServiceContext, "db" | "orgId">, agent: AnyAgent, now: Date): AgentState {
  const [state] = listAgentStates(ctx, [agent], now);
  if (!state) throw notFound("agent");
  return state;
}

export type AgentChange = { enabled?: boolean; settings?: Record<string, unknown> };

/**
 * Switches an agent on or off in the organisation and changes its settings (agents.manage,
 * checked by the route): settings are checked by the agent's own schema (422 on
 * `settings.<field>`); each change is in the audit log.
 */
export function changeAgent(ctx: ServiceContext, agent: AnyAgent, change: AgentChange, now = new Date()): void {
  ctx.db.transaction((tx) => {
    if (change.settings) {
      const stored = storedAgentSettings(tx, ctx.orgId);
      const merged = { ...settingsOf<Record<string, unknown>>(tx, ctx.orgId, agent), ...change.settings };
      const parsed = agent.settings.safeParse(merged);
      if (!parsed.success)
        throw validationFailed(parsed.error.issues.map((issue) => ({ ...issue, path: ["settings", ...issue.path] })));
      writeOrganizationSetting(tx, ctx.orgId, SETTINGS_KEY, { ...stored, [agent.id]: parsed.data }, now);
      audit(tx, ctx, agent, "agent.settings_changed", { settings: parsed.data }, now);
    }
    if (change.enabled !== undefined) {
      const enabled = enabledAgents(tx, ctx.orgId);
      if (enabled.has(agent.id) !== change.enabled) {
        if (change.enabled) enabled.add(agent.id);
        else enabled.delete(agent.id);
        writeOrganizationSetting(tx, ctx.orgId, ENABLED_KEY, [...enabled], now);
        audit(tx, ctx, agent, change.enabled ? "agent.enabled" : "agent.disabled", null, now);
      }
    }
  });
}

function audit(
  db: Parameters<typeof recordAudit>[0],
  ctx: ServiceContext,
  agent: AnyAgent,
  action: string,
  details: Record<string, unknown> | null,
  now: Date,
): void {
  recordAudit(
    db,
    {
      orgId: ctx.orgId,
      action,
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "agent",
      targetId: agent.id,
      details,
      meta: ctx.meta,
    },
    now,
  );
}

/** What a run now would do, without doing it (nothing is written). */
export function previewAgent(
  ctx: ServiceContext,
  agent: AnyAgent,
  box: { baseUrl: string; dataDir: string; ai?: AgentAi },
  now = new Date(),
): string[] {
  const deps = {
    db: ctx.db,
    log: ctx.log,
    keyring: ctx.keyring,
    baseUrl: box.baseUrl,
    dataDir: box.dataDir,
    ai: box.ai,
  };
  return dryRunAgent(deps, ctx.orgId, agent, now);
}

/** Queues a run now (202 with the run; an open run is answered instead); 409 while quarantined. */
export function runAgentNow(
  ctx: ServiceContext,
  agent: AnyAgent,
  scheduler: JobScheduler | undefined,
): { run: JobRun; created: boolean } {
  if (!scheduler) throw new AppError("unavailable", "The job scheduler is not running.");
  if (isQuarantined(ctx.db, agent.id, ctx.orgId))
    throw new AppError("conflict", "The agent is quarantined after repeated failures: release it on /jobs first.");
  const queued = scheduler.runNow(agent.id, ctx.orgId, "manual", ctx.userId);
  if (queued.created) audit(ctx.db, ctx, agent, "agent.run_requested", { runId: queued.run.id }, new Date());
  return queued;
}
