import type { Db } from "../../db.ts";
import type { Logger } from "../../http/logger.ts";
import type { Lifecycle } from "../../lifecycle.ts";
import { markOverdueInvoices } from "./transitions.ts";

/** The stable id of the job, in logs. */
export const OVERDUE_INVOICES_JOB = "invoices.overdue";
const HOUR_MS = 3_600_000;

/**
 * Turns sent invoices past their due date overdue: once at start, then every hour, so an
 * invoice is overdue within the first hour of the UTC day after its due date (checking costs
 * one indexed query per organisation).
 */
export function startOverdueInvoices(deps: { db: Db; log: Logger; lifecycle: Lifecycle }, everyMs = HOUR_MS): void {
  const run = () => {
    try {
      const changed = markOverdueInvoices(deps.db, new Date());
      if (changed > 0) deps.log.info({ job: OVERDUE_INVOICES_JOB, changed }, "marked invoices overdue");
    } catch (error) {
      deps.log.error({ job: OVERDUE_INVOICES_JOB, err: error }, "marking invoices overdue failed");
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  deps.lifecycle.onStop(OVERDUE_INVOICES_JOB, () => clearInterval(timer));
}
