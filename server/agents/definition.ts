import type { z } from "zod";
import type { AgentId } from "../../models/agents.ts";
import type { JobResultLink } from "../../models/jobs.ts";
import type { AiRuntime } from "../ai/runtime.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import type { AgentContext } from "../auth/sessions/context.ts";

/** What of the AI runtime an agent may use: structured reading with the chat model. */
export type AgentAi = Pick<AiRuntime, "chatModel" | "countTokens" | "loadTokenizer" | "generateJson">;

/** What an agent's two halves are handed: itself in the organisation, its settings, the clock. */
export type AgentWork<Settings> = {
  /** The agent as a principal: only its definition's permissions; what it changes is recorded as it. */
  ctx: AgentContext;
  settings: Settings;
  now: Date;
  baseUrl: string;
  /** The data directory: files an agent attaches to mail are stored in its files/. */
  dataDir: string;
  /** A line for the run's log (a dry run keeps its lines in the preview instead). */
  log: (line: string) => void;
  /** The box's AI runtime; absent or null where none was handed over (the CLI's dry run, benchmarks, some tests). */
  ai?: AgentAi | null;
  /** Aborted on timeout, cancel and the box stopping: long work checks it between steps. */
  signal?: AbortSignal;
};

/** What a run did, for the run's history: "flagged 3 tasks", with links to the records. */
export type AgentResult = { summary: string; links?: JobResultLink[] };

/**
 * A built-in agent: a per-organisation job with an identity. `plan` only reads and says what it
 * would do (the dry run shows its `preview`); `apply` does it, through the services people use,
 * as the agent. Later agents (timesheet drafter, daily digest, …) are one more definition in
 * registry.ts.
 */
export type AgentDefinition<Settings extends Record<string, unknown>, Plan extends { preview: string[] }> = {
  id: AgentId;
  /** How it is named wherever it acted: "Stuck-task agent" (models/agents.ts agentLabels). */
  name: string;
  /** What it does, for the console, the CLI and the setup wizard. */
  description: string;
  /** UTC croner pattern, with the words people read. */
  schedule: { cron: string; words: string };
  /** All it may do: the services it calls check these, as they check a person's. */
  permissions: Permission[];
  /** Its settings, each field with a default and a `.describe()` label (the console's form is made from it). */
  settings: z.ZodType<Settings, Record<string, unknown>>;
  /** Fields of `settings`, in the form's order, with how the form shows each. */
  fields: SettingsField[];
  timeoutMs: number;
  plan: (work: AgentWork<Settings>) => Plan;
  apply: (work: AgentWork<Settings>, plan: Plan) => AgentResult | Promise<AgentResult>;
};

/** One input of an agent's settings form. */
export type SettingsField = { name: string; label: string; kind: "number" | "text" | "email"; hint?: string };

// The registry holds definitions of different settings: their own types stay inside each agent.
// biome-ignore lint/suspicious/noExplicitAny: a list of agents with unlike settings and plans
export type AnyAgent = AgentDefinition<any, any>;
