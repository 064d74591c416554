import type { AgentId } from "../../models/agents.ts";
import type { Queryable } from "../db.ts";
import { isQuarantined } from "../jobs/quarantine.ts";
import type { JobScheduler } from "../jobs/scheduler.ts";
import { enabledAgents } from "./settings.ts";

const AGENT: AgentId = "document-parser";

/**
 * A document finished ingesting: where the organisation has the Document inbox switched on (and
 * not quarantined), a run starts now (trigger "event") instead of at the next 5-minute pass.
 * A run already open takes the document along or leaves it to the next pass.
 */
export function wakeDocumentInbox(db: Queryable, jobs: Pick<JobScheduler, "runNow">, orgId: string): boolean {
  if (!enabledAgents(db, orgId).has(AGENT) || isQuarantined(db, AGENT, orgId)) return false;
  return jobs.runNow(AGENT, orgId, "event").created;
}
