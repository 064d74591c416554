import type { AgentContext } from "../auth/sessions/context.ts";
import type { Db, Queryable } from "../db.ts";
import { publishEvent } from "../events/publish.ts";
import type { Logger } from "../http/logger.ts";
import type { JobDefinition } from "../jobs/definition.ts";
import type { Keyring } from "../tools/secrets.ts";
import type { AgentAi, AgentResult, AnyAgent } from "./definition.ts";
import { enabledAgents, settingsOf } from "./settings.ts";

/** What running an agent needs of the process (main.ts, the CLI and tests each have it). */
export type AgentDeps = { db: Db; log: Logger; keyring: Keyring; baseUrl: string; dataDir: string; ai?: AgentAi };

/** The agent as a principal of the organisation: its definition's permissions and nothing more. */
export function agentContext(deps: AgentDeps, orgId: string, agent: AnyAgent): AgentContext {
  return {
    db: deps.db,
    log: deps.log.child({ agent: agent.id, orgId }),
    keyring: deps.keyring,
    orgId,
    userId: null,
    apiKeyId: null,
    agentId: agent.id,
    permissions: new Set(agent.permissions),
    meta: {},
  };
}

function work(
  deps: AgentDeps,
  orgId: string,
  agent: AnyAgent,
  now: Date,
  log: (line: string) => void,
  signal = new AbortController().signal,
) {
  const ctx = agentContext(deps, orgId, agent);
  const settings = settingsOf(deps.db, orgId, agent);
  return { ctx, settings, now, baseUrl: deps.baseUrl, dataDir: deps.dataDir, log, ai: deps.ai ?? null, signal };
}

/** What the agent would do now in the organisation; it only reads (nothing is written, not even a run). */
export function dryRunAgent(deps: AgentDeps, orgId: string, agent: AnyAgent, now = new Date()): string[] {
  return agent.plan(work(deps, orgId, agent, now, () => {})).preview;
}

type RunEvent = "agent.run.started" | "agent.run.succeeded" | "agent.run.failed" | "agent.run.quarantined";

const eventWords: Record<RunEvent, string> = {
  "agent.run.started": "started",
  "agent.run.succeeded": "finished",
  "agent.run.failed": "failed",
  "agent.run.quarantined": "was stopped after failing too often",
};

/** A run event on the organisation's stream (the Pulse's "Agent activity", /api/v1/events). */
export function publishRunEvent(
  db: Queryable,
  orgId: string,
  agent: AnyAgent,
  type: RunEvent,
  detail: { runId?: string; text?: string },
  now: Date,
): void {
  publishEvent(
    db,
    { orgId, userId: null },
    {
      type,
      subjectType: "agent",
      subjectId: agent.id,
      summary: `${agent.name} ${eventWords[type]}${detail.text ? `: ${detail.text}` : ""}`,
      data: { agentId: agent.id, runId: detail.runId ?? null, text: detail.text ?? null },
    },
    now,
  );
}

/**
 * The agent as a job of the scheduler: one per organisation, on its schedule where the
 * organisation switched it on (manual runs work either way), with run events on the feed.
 */
export function agentJob(deps: AgentDeps, agent: AnyAgent): JobDefinition {
  return {
    id: agent.id,
    title: agent.name,
    description: agent.description,
    scope: "organization",
    schedule: { cron: agent.schedule.cron },
    timeoutMs: agent.timeoutMs,
    runsIn: (orgId) => enabledAgents(deps.db, orgId).has(agent.id),
    onQuarantined: (db, orgId, now) => {
      if (orgId) publishRunEvent(db, orgId, agent, "agent.run.quarantined", {}, now);
    },
    run: async (run) => {
      const orgId = run.orgId;
      if (!orgId) throw new Error("An agent runs for an organisation.");
      publishRunEvent(deps.db, orgId, agent, "agent.run.started", { runId: run.runId }, run.now());
      let result: AgentResult;
      try {
        const agentWork = work(deps, orgId, agent, run.now(), run.log, run.signal);
        result = await agent.apply(agentWork, agent.plan(agentWork));
      } catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        publishRunEvent(deps.db, orgId, agent, "agent.run.failed", { runId: run.runId, text }, run.now());
        throw error;
      }
      publishRunEvent(
        deps.db,
        orgId,
        agent,
        "agent.run.succeeded",
        { runId: run.runId, text: result.summary },
        run.now(),
      );
      return result;
    },
  };
}
