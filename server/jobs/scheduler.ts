import { organizations } from "../../models/identity.ts";
import type { JobRun, JobRunTrigger } from "../../models/jobs.ts";
import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { backoffMs, type JobDefinition, type JobWaiting, nextRunAfter, scopeOf } from "./definition.ts";
import { executeRun, RunAbort, type Runtime } from "./execute.ts";
import { endRun, recoverInterruptedRuns } from "./finish.ts";
import { quarantinedScopes } from "./quarantine.ts";
import { enqueueRun, findRunById, listWaitingRuns } from "./runs.ts";

/** The longest the scheduler waits between looks for due work (sooner when a slot or retry is due sooner). */
const TICK_MS = 1_000;
/** How often the list of organisations (the org-scoped jobs' slots) is read again. */
const ORGS_EVERY_MS = 30_000;
/** Kept back from the stop deadline to write the runs that did not finish. */
const STOP_MARGIN_MS = 250;

export type SchedulerOptions = {
  db: Db;
  log: Logger;
  jobs: JobDefinition[];
  baseUrl: string;
  countJobRun?: (job: string, status: string) => void;
  /** The clock and the dice, for tests. */
  now?: () => Date;
  random?: () => number;
};

/** A job in one scope: when it is next due by its schedule. */
type Slot = { def: JobDefinition; orgId: string | null; nextAt: number };
type Active = { runId: string; controller: AbortController; done: Promise<void> };

const keyOf = (jobId: string, orgId: string | null) => `${jobId}\u0000${scopeOf(orgId)}`;

/**
 * The one runtime of scheduled and background work. Each tick starts what is due: runs queued
 * by people, the CLI or events, retries whose back-off is over, scheduled slots (a job per
 * organisation, or once for the box), and event jobs' scopes whose queued work is due (`wake()`
 * ticks at once). One run at a time per job and scope; every run is a row of `job_runs`. Runs
 * left `running` by a crash are marked and retried at start. On stop, `stopping` tells running
 * work to finish its step; what is still running at the deadline goes back to the queue.
 */
export class JobScheduler {
  readonly #defs: Map<string, JobDefinition>;
  readonly #slots = new Map<string, Slot>();
  readonly #active = new Map<string, Active>();
  /** Runs in progress per job, for `exclusive` jobs (one at a time across scopes). */
  readonly #activeByJob = new Map<string, number>();
  readonly #eventJobs: JobDefinition[];
  readonly #stopping = new AbortController();
  #orgsReadAt = Number.NEGATIVE_INFINITY;
  /** The earliest time the last tick saw anything due (a slot, a retry). */
  #nextDueAt = Number.POSITIVE_INFINITY;
  #timer: Timer | null = null;
  #started = false;
  #stopped = false;
  readonly #runtime: Runtime;

  constructor(private readonly options: SchedulerOptions) {
    this.#defs = new Map(options.jobs.map((job) => [job.id, job]));
    this.#eventJobs = options.jobs.filter((job) => job.waiting);
    const random = options.random ?? Math.random;
    this.#runtime = {
      db: options.db,
      log: options.log,
      baseUrl: options.baseUrl,
      countJobRun: options.countJobRun ?? (() => {}),
      now: options.now ?? (() => new Date()),
      backoff: (policy, failed) => backoffMs(policy, failed, random),
      stopping: this.#stopping.signal,
    };
  }

  now(): Date {
    return this.#runtime.now();
  }

  definitions(): JobDefinition[] {
    return [...this.#defs.values()];
  }

  definition(id: string): JobDefinition | null {
    return this.#defs.get(id) ?? null;
  }

  /** Marks what a crash left running, then ticks every second until stopped. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.recover();
    // At once, so that the catch-up runs (runAtStart) begin before the first request.
    this.tick();
    this.#loop(Math.max(0, Math.min(TICK_MS, this.#nextDueAt - Date.now())));
  }

  /**
   * Runs a previous process left `running`: retried after a back-off while attempts are left,
   * failed otherwise. Returns how many were found.
   */
  recover(): number {
    return recoverInterruptedRuns(this.#runtime, this.#defs);
  }

  /** Queues a run now (one at a time per job and scope: an open run is answered instead). */
  runNow(
    jobId: string,
    orgId: string | null,
    trigger: JobRunTrigger = "manual",
    requestedBy: string | null = null,
  ): { run: JobRun; created: boolean } {
    const queued = enqueueRun(this.options.db, { jobId, orgId, trigger, requestedBy }, this.now());
    if (queued.created && this.#started && !this.#stopped) this.#loop(0);
    return queued;
  }

  /** Work was queued for an event job: look at once rather than at the next tick. */
  wake(): void {
    if (this.#started && !this.#stopped) this.#loop(0);
  }

  /** Aborts a running run of this process; false when none by that id runs here. */
  abort(runId: string): boolean {
    return this.#abort(runId) !== null;
  }

  /**
   * Cancels an open run: a running one is aborted (its row written as it ends), a waiting one
   * ends at once. Returns the run as it is now; null when it was not open.
   */
  async cancel(run: JobRun): Promise<JobRun | null> {
    const active = this.#abort(run.id);
    if (active) await active.done;
    else {
      endRun(
        this.#runtime,
        { def: this.#defs.get(run.jobId), run, log: run.log },
        { status: "cancelled", error: "Cancelled by an admin.", finishedAt: this.now() },
      );
    }
    return findRunById(this.options.db, run.id);
  }

  #abort(runId: string): Active | null {
    for (const active of this.#active.values()) {
      if (active.runId !== runId) continue;
      active.controller.abort(new RunAbort("cancel"));
      return active;
    }
    return null;
  }

  /** Whether a run of this job and scope is running in this process. */
  isRunning(jobId: string, orgId: string | null): boolean {
    return this.#active.has(keyOf(jobId, orgId));
  }

  /** Whether a run of this job may not start in this scope now: one runs there (or anywhere, for an exclusive job). */
  #busy(def: JobDefinition, orgId: string | null): boolean {
    return this.#active.has(keyOf(def.id, orgId)) || (def.exclusive === true && this.#activeByJob.has(def.id));
  }

  /** Starts whatever is due now; returns how many runs it started. */
  tick(): number {
    if (this.#stopped) return 0;
    const now = this.now();
    const nowMs = now.getTime();
    const { db } = this.options;
    if (nowMs - this.#orgsReadAt >= ORGS_EVERY_MS) this.#refreshSlots(nowMs);
    const quarantined = quarantinedScopes(db);
    let started = 0;
    let nextDue = Number.POSITIVE_INFINITY;
    for (const run of listWaitingRuns(db)) {
      const key = keyOf(run.jobId, run.orgId);
      const retryAt = run.status === "retrying" ? (run.retryAt?.getTime() ?? 0) : 0;
      if (retryAt > nowMs) nextDue = Math.min(nextDue, retryAt);
      const def = this.#defs.get(run.jobId);
      if (retryAt > nowMs || (def ? this.#busy(def, run.orgId) : this.#active.has(key))) continue;
      if (!def || quarantined.has(key)) {
        const error = def ? "The job is quarantined; release it to run it again." : "No such job on this box.";
        endRun(this.#runtime, { def, run, log: run.log }, { status: "cancelled", error, finishedAt: now });
        continue;
      }
      this.#launch(def, run);
      started++;
    }
    for (const [key, slot] of this.#slots) {
      if (slot.nextAt > nowMs) {
        nextDue = Math.min(nextDue, slot.nextAt);
        continue;
      }
      slot.nextAt = nextRunAfter(slot.def.schedule, nowMs);
      nextDue = Math.min(nextDue, slot.nextAt);
      if (this.#active.has(key) || quarantined.has(key)) continue;
      if (slot.orgId !== null && slot.def.runsIn && !slot.def.runsIn(slot.orgId)) continue;
      const { run, created } = enqueueRun(db, { jobId: slot.def.id, orgId: slot.orgId, trigger: "schedule" }, now);
      if (!created) continue;
      this.#launch(slot.def, run);
      started++;
    }
    for (const def of this.#eventJobs) {
      for (const waiting of this.#waitingOf(def, now)) {
        const dueAt = waiting.dueAt.getTime();
        if (dueAt > nowMs) {
          nextDue = Math.min(nextDue, dueAt);
          continue;
        }
        if (this.#busy(def, waiting.orgId) || quarantined.has(keyOf(def.id, waiting.orgId))) continue;
        if (waiting.orgId !== null && def.runsIn && !def.runsIn(waiting.orgId)) continue;
        const { run, created } = enqueueRun(db, { jobId: def.id, orgId: waiting.orgId, trigger: "event" }, now);
        // An open run (queued by the CLI, or waiting to retry) does the work when its turn comes.
        if (!created) continue;
        this.#launch(def, run);
        started++;
      }
    }
    this.#nextDueAt = nextDue;
    return started;
  }

  #waitingOf(def: JobDefinition, now: Date): JobWaiting[] {
    try {
      return def.waiting?.(now) ?? [];
    } catch (error) {
      this.options.log.error({ err: error, job: def.id }, "could not read a job's waiting work");
      return [];
    }
  }

  /** Resolves once no run is in progress in this process. */
  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.all([...this.#active.values()].map((active) => active.done));
  }

  /**
   * Stops ticking, lets running runs finish until shortly before `deadline`, then aborts the
   * rest: they go back to the queue, unchanged in attempts, for the next start.
   */
  async stop(deadline: number): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort(new RunAbort("shutdown"));
    if (this.#timer) clearTimeout(this.#timer);
    const grace = Math.max(0, deadline - Date.now() - STOP_MARGIN_MS);
    await Promise.race([this.idle(), Bun.sleep(grace)]);
    for (const active of this.#active.values()) active.controller.abort(new RunAbort("shutdown"));
    await this.idle();
  }

  #loop(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      try {
        this.tick();
      } catch (error) {
        this.options.log.error({ err: error }, "the job scheduler could not look for due work");
      }
      this.#loop(Math.max(0, Math.min(TICK_MS, this.#nextDueAt - Date.now())));
    }, delayMs);
    this.#timer.unref();
  }

  /** One slot per box-wide job, and one per organisation for the others. */
  #refreshSlots(nowMs: number): void {
    this.#orgsReadAt = nowMs;
    const orgIds = this.options.db.select({ id: organizations.id }).from(organizations).all();
    const wanted = new Set<string>();
    for (const def of this.#defs.values()) {
      if ((!def.schedule || "event" in def.schedule) && !def.runAtStart) continue;
      // Every slot of a job starts from the same moment, so the schedule is read once per job.
      const due = def.runAtStart ? nowMs : nextRunAfter(def.schedule, nowMs);
      for (const orgId of def.scope === "box" ? [null] : orgIds.map((org) => org.id)) {
        const key = keyOf(def.id, orgId);
        wanted.add(key);
        if (!this.#slots.has(key)) this.#slots.set(key, { def, orgId, nextAt: due });
      }
    }
    for (const key of this.#slots.keys()) if (!wanted.has(key)) this.#slots.delete(key);
  }

  #launch(def: JobDefinition, run: JobRun): void {
    const key = keyOf(def.id, run.orgId);
    const controller = new AbortController();
    const active: Active = { runId: run.id, controller, done: Promise.resolve() };
    this.#active.set(key, active);
    this.#activeByJob.set(def.id, (this.#activeByJob.get(def.id) ?? 0) + 1);
    active.done = executeRun(this.#runtime, def, run, controller)
      .catch((error) =>
        this.options.log.error({ err: error, job: def.id, runId: run.id }, "a job run could not be recorded"),
      )
      .finally(() => {
        this.#active.delete(key);
        const left = (this.#activeByJob.get(def.id) ?? 1) - 1;
        if (left > 0) this.#activeByJob.set(def.id, left);
        else this.#activeByJob.delete(def.id);
        // Work that came while it ran (or another scope's turn, for an exclusive job) starts now, not at the next tick.
        if (def.waiting || def.exclusive) this.#loop(0);
      });
  }
}
