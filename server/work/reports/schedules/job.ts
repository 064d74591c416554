import type { JobDefinition } from "../../../jobs/definition.ts";
import { hasReportSchedules, type ReportSendDeps, sendDueReports } from "./send.ts";

/** The per-organisation job that e-mails scheduled reports (and "Send now" requests). */
export const REPORT_SCHEDULES_JOB = "reports.scheduled";

/**
 * Every 5 minutes per organisation, and at start: sends each schedule whose local hour has come
 * since its last slot, once. Runs that found nothing due leave no history.
 */
export function reportSchedulesJob(deps: ReportSendDeps): JobDefinition {
  return {
    id: REPORT_SCHEDULES_JOB,
    title: "Scheduled reports",
    description:
      "E-mails each scheduled report as CSV and PDF when its local hour comes (checked every 5 min, and at start), and the ones asked for with Send now.",
    scope: "organization",
    schedule: { cron: "*/5 * * * *" },
    runAtStart: true,
    timeoutMs: 10 * 60_000,
    history: "notable",
    // An organisation without schedules gets no run at all (no row written and deleted every 5 min).
    runsIn: (orgId) => hasReportSchedules(deps.db, orgId),
    run: (run) => {
      if (!run.orgId) throw new Error("Scheduled reports run for an organisation.");
      return sendDueReports(deps, run.orgId, run);
    },
  };
}
