import { and, eq, inArray } from "drizzle-orm";
import { type AgentId, isAgentId } from "../../models/agents.ts";
import { organizationSettings } from "../../models/instance.ts";
import type { Queryable } from "../db.ts";
import { readOrganizationSetting } from "../organization-settings.ts";
import type { AnyAgent } from "./definition.ts";

/** Setup writes the agents switched on here (a list of ids); the console and API change it. */
export const ENABLED_KEY = "agents.enabled";
/** Each agent's settings, `{ [agentId]: { … } }`, what differs from its defaults. */
export const SETTINGS_KEY = "agents.settings";

/** The agents switched on in the organisation (ids this box no longer has are left out). */
export function enabledAgents(db: Queryable, orgId: string): Set<AgentId> {
  const value = readOrganizationSetting(db, orgId, ENABLED_KEY);
  return new Set(
    Array.isArray(value) ? value.filter((id): id is AgentId => typeof id === "string" && isAgentId(id)) : [],
  );
}

/** The organisations where this agent is on, of those given (one read for the scheduler's slots). */
export function organizationsWithAgent(db: Queryable, agentId: AgentId, orgIds: string[]): Set<string> {
  if (orgIds.length === 0) return new Set();
  const rows = db
    .select({ orgId: organizationSettings.orgId, value: organizationSettings.value })
    .from(organizationSettings)
    .where(and(eq(organizationSettings.key, ENABLED_KEY), inArray(organizationSettings.orgId, orgIds)))
    .all();
  return new Set(rows.filter((row) => Array.isArray(row.value) && row.value.includes(agentId)).map((row) => row.orgId));
}

/** What the organisation stored for each agent (raw, checked by each agent's schema on reading). */
export function storedAgentSettings(db: Queryable, orgId: string): Record<string, Record<string, unknown>> {
  const value = readOrganizationSetting(db, orgId, SETTINGS_KEY);
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, Record<string, unknown>>)
    : {};
}

/** The agent's settings in the organisation: what was stored over the defaults; a stored value its schema refuses is dropped. */
export function settingsOf<Settings>(db: Queryable, orgId: string, agent: AnyAgent): Settings {
  const stored = storedAgentSettings(db, orgId)[agent.id] ?? {};
  const parsed = agent.settings.safeParse(stored);
  if (parsed.success) return parsed.data as Settings;
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stored)) {
    if (agent.settings.safeParse({ ...kept, [name]: value }).success) kept[name] = value;
  }
  return agent.settings.parse(kept) as Settings;
}
