import type { AppDeps } from "../../http/env.ts";
import { checkLabels, healthChecks } from "./checks.ts";
import { findHealthState, type HealthProblem, type HealthState, saveHealthState } from "./health-state.ts";
import { mailHealthAlert, mailHealthRecovered } from "./notices.ts";

/** The stable id of the self-check job (server/jobs/system-jobs.ts), in logs and in opsbox_job_runs_total. */
export const SELF_CHECK_JOB = "ops.self_check";

/**
 * What a run did: told the admins something went bad (`alerted`) or is good again
 * (`recovered`), changed the list of what fails without telling anyone again (`updated`), or
 * nothing.
 */
export type SelfCheckOutcome = "alerted" | "updated" | "recovered" | "unchanged";

const sameChecks = (a: HealthProblem[], b: HealthProblem[]) =>
  a.map((item) => item.check).join() === b.map((item) => item.check).join();

/**
 * Watches disk, database and (once the backup module registers) replication and the backup
 * process. Instance admins hear once when something goes bad and once when all is good again:
 * a banner in the console and an e-mail through the outbox, never one per check or per run.
 */
export class SelfCheck {
  #told: HealthState | null;
  /** The last transition logged, so that one the database keeps refusing is logged once. */
  #logged = "";

  constructor(private readonly deps: AppDeps) {
    this.#told = findHealthState(deps.db);
  }

  /** One look at every check; `now` for tests. */
  run(now = new Date()): SelfCheckOutcome {
    const problems: HealthProblem[] = Object.entries(healthChecks(this.deps))
      .filter(([, result]) => result.status === "fail")
      .map(([check, result]) => ({ check, label: checkLabels[check] ?? check, message: result.message ?? "Failed." }));
    const was = this.#told;
    const failing = was?.status === "failing";
    let outcome: SelfCheckOutcome = "unchanged";
    let next: HealthState | null = null;
    if (problems.length > 0 && !failing) {
      outcome = "alerted";
      next = { status: "failing", problems, since: now.toISOString() };
    } else if (problems.length > 0 && was && !sameChecks(problems, was.problems)) {
      outcome = "updated";
      next = { status: "failing", problems, since: was.since };
    } else if (problems.length === 0 && failing && was) {
      outcome = "recovered";
      next = { status: "ok", problems: was.problems, since: now.toISOString() };
    }
    if (!next) return "unchanged";
    this.#record(outcome, next, was, now);
    return outcome;
  }

  #record(outcome: SelfCheckOutcome, next: HealthState, was: HealthState | null, now: Date): void {
    const { db, log, config } = this.deps;
    const key = `${outcome}:${next.problems.map((item) => item.check).join()}`;
    const firstTime = key !== this.#logged;
    this.#logged = key;
    if (firstTime && outcome === "recovered") log.info({ job: SELF_CHECK_JOB }, "self-check: every check passes again");
    else if (firstTime)
      log.warn({ job: SELF_CHECK_JOB, problems: next.problems }, "self-check: Opsbox needs attention");
    try {
      db.transaction((tx) => {
        saveHealthState(tx, next, now);
        if (outcome === "alerted") mailHealthAlert(tx, log, config.baseUrl, next.problems, now);
        if (outcome === "recovered" && was) {
          mailHealthRecovered(tx, log, config.baseUrl, was.problems, new Date(was.since), now);
        }
      });
      this.#told = next;
    } catch (error) {
      // Without a writable database only the log can tell; the same transition is tried again next run.
      if (firstTime) log.error({ job: SELF_CHECK_JOB, err: error }, "self-check: could not record the alert");
    }
  }
}
