import { approvalNudgerAgent } from "./approval-nudger.ts";
import { dailyDigestAgent } from "./daily-digest.ts";
import type { AnyAgent } from "./definition.ts";
import { documentInboxAgent } from "./document-inbox.ts";
import { invoiceFollowUpAgent } from "./invoice-follow-up.ts";
import { type AgentDeps, agentJob } from "./run.ts";
import { stuckTasksAgent } from "./stuck-tasks.ts";
import { timesheetDrafterAgent } from "./timesheet-drafter.ts";

/** Every agent of this box, in the console's order. Each runs as the job of the same id. */
export const builtInAgentDefinitions: readonly AnyAgent[] = [
  stuckTasksAgent,
  approvalNudgerAgent,
  dailyDigestAgent,
  timesheetDrafterAgent,
  invoiceFollowUpAgent,
  documentInboxAgent,
];

export function findAgent(id: string): AnyAgent | null {
  return builtInAgentDefinitions.find((agent) => agent.id === id) ?? null;
}

/** Every agent as a per-organisation job of the scheduler (main.ts registers them beside the system jobs). */
export const agentJobs = (deps: AgentDeps) => builtInAgentDefinitions.map((agent) => agentJob(deps, agent));
