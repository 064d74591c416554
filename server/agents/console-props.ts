import type { Context } from "hono";
import type { AgentCard, AgentPageProps, SettingsFieldView } from "../../views/pages/agents/agents.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { jobRunRow } from "../jobs/console-props.ts";
import { listVisibleRuns } from "../jobs/runs.ts";
import type { AnyAgent } from "./definition.ts";
import { builtInAgentDefinitions } from "./registry.ts";
import { type AgentState, agentStateOf, listAgentStates } from "./service.ts";

const minute = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function agentCard(state: AgentState): AgentCard {
  const { agent, lastRun } = state;
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    state: state.quarantine ? "quarantined" : state.enabled ? "on" : "off",
    quarantineReason: state.quarantine?.reason ?? null,
    schedule: `${agent.schedule.words} (UTC)`,
    lastRun: lastRun ? `${minute(lastRun.queuedAt)}: ${lastRun.status.replace("_", " ")}` : null,
    nextRun: state.nextRunAt ? minute(state.nextRunAt) : null,
    successRate:
      state.successRate === null ? null : `${Math.round(state.successRate * 100)}% of the last finished runs`,
    permissions: agent.permissions,
  };
}

const canManage = (c: Context<AppEnv>) => c.var.auth?.permissions.has("agents.manage") ?? false;

export function agentsPageProps(c: Context<AppEnv>, notice: string | null) {
  const states = listAgentStates(serviceContext(c), builtInAgentDefinitions, new Date());
  return { csrf: formCsrf(c), canManage: canManage(c), notice, agents: states.map(agentCard) };
}

/** The settings form's fields: what was typed (on a refusal) or the stored settings. */
function fieldViews(agent: AnyAgent, values: Record<string, unknown>, errors: Record<string, string>) {
  return agent.fields.map(
    (field): SettingsFieldView => ({
      name: field.name,
      label: field.label,
      kind: field.kind,
      hint: field.hint ?? null,
      value: String(values[field.name] ?? ""),
      error: errors[field.name] ?? null,
    }),
  );
}

export type AgentPageState = {
  notice?: string | null;
  error?: string | null;
  typed?: Record<string, string>;
  errors?: Record<string, string>;
  preview?: string[] | null;
  filters?: { status: string; trigger: string };
};

export function agentPageProps(c: Context<AppEnv>, agent: AnyAgent, state: AgentPageState = {}): AgentPageProps {
  const ctx = serviceContext(c);
  const current = agentStateOf(ctx, agent, new Date());
  const filters = state.filters ?? { status: "", trigger: "" };
  const runs = listVisibleRuns(
    ctx.db,
    { orgId: ctx.orgId, box: false },
    {
      jobId: agent.id,
      status: filters.status ? [filters.status as never] : undefined,
      trigger: (filters.trigger || undefined) as never,
    },
    { limit: 50 },
  );
  return {
    csrf: formCsrf(c),
    canManage: canManage(c),
    notice: state.notice ?? null,
    error: state.error ?? null,
    agent: agentCard(current),
    fields: fieldViews(agent, state.typed ?? current.settings, state.errors ?? {}),
    preview: state.preview ?? null,
    filters,
    runs: runs.map((run) => jobRunRow(run, agent.name)),
  };
}
