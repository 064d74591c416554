import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { applyRetention } from "./retention.ts";

/** The stable id of the job, in logs. */
export const DATA_RETENTION_JOB = "privacy.retention";
const DAY_MS = 86_400_000;

/** Applies data retention once at start and then every 24 hours until the process stops. */
export function startDataRetention(deps: {
  db: Db;
  log: Logger;
  lifecycle: Lifecycle;
  config: { dataDir: string };
}): void {
  const run = () => {
    try {
      for (const [orgId, deleted] of applyRetention(deps.db, deps.config.dataDir)) {
        deps.log.info({ job: DATA_RETENTION_JOB, orgId, deleted }, "deleted records past retention");
      }
    } catch (error) {
      deps.log.error({ job: DATA_RETENTION_JOB, err: error }, "applying data retention failed");
    }
  };
  run();
  const timer = setInterval(run, DAY_MS);
  timer.unref();
  deps.lifecycle.onStop(DATA_RETENTION_JOB, () => clearInterval(timer));
}
