import { z } from "zod";
import { toJobRunJson } from "../jobs/json.ts";
import type { AgentState } from "./service.ts";

const iso = (at: Date | null) => at?.toISOString() ?? null;

/** An agent as the API shows it. */
export function agentJson(state: AgentState) {
  const { agent } = state;
  return {
    id: agent.id,
    name: agent.name,
    description: agent.description,
    schedule: { cron: agent.schedule.cron, timezone: "UTC", words: agent.schedule.words },
    permissions: agent.permissions,
    state: state.quarantine ? "quarantined" : state.enabled ? "on" : "off",
    enabled: state.enabled,
    quarantine: state.quarantine
      ? { since: state.quarantine.since.toISOString(), reason: state.quarantine.reason }
      : null,
    lastRun: state.lastRun ? toJobRunJson(state.lastRun, agent.name) : null,
    nextRunAt: iso(state.nextRunAt),
    successRate: state.successRate,
    settings: state.settings,
    settingsSchema: z.toJSONSchema(agent.settings, { io: "input", unrepresentable: "any" }),
  };
}
