import type { Queryable } from "../db.ts";
import { listQuarantines } from "../jobs/quarantine.ts";
import type { JobScheduler } from "../jobs/scheduler.ts";
import { enabledAgents } from "./settings.ts";

/**
 * A document finished ingesting: where the organisation has the Document inbox switched on (and
 * not quarantined), a run starts now (trigger "event") instead of at the next 5-minute pass.
 * A run already open takes the document along or leaves it to the next pass.
 */
export function wakeDocumentInbox(db: Queryable, jobs: Pick<JobScheduler, "runNow">, orgId: string): boolean {
  if (!enabledAgents(db, orgId).has("document-parser")) return false;
  if (listQuarantines(db, { orgId, box: false }).some((item) => item.jobId === "document-parser")) return false;
  return jobs.runNow("document-parser", orgId, "event").created;
}
