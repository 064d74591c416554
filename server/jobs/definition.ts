import { Cron } from "croner";
import type { JobResultLink, JobRunTrigger } from "../../models/jobs.ts";
import type { Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";

/** How a failed run is tried again: `attempts` in all, waiting `firstDelayMs` × 2ⁿ (at most `maxDelayMs`), with jitter. */
export type RetryPolicy = { attempts: number; firstDelayMs: number; maxDelayMs: number };

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 2_000, maxDelayMs: 10_000 };
/** Failed runs in a row (after their retries) that quarantine a job in its scope. */
export const DEFAULT_QUARANTINE_AFTER = 5;
/** The log of a run keeps its last lines only. */
export const RUN_LOG_LINES = 100;

/**
 * When a job runs by itself: a croner pattern (UTC, 5 or 6 fields), a fixed interval, when
 * there is work (`{ event: true }`: its `waiting` lists the scopes with work due, and
 * `scheduler.wake()` has it looked at at once), or never (`null`: on demand, through `runNow`).
 */
export type JobSchedule = { cron: string } | { everyMs: number } | { event: true } | null;

/** Work an event job has queued in one scope (its organisation, or null for the box), and when the earliest is due. */
export type JobWaiting = { orgId: string | null; dueAt: Date };

/** What a run is handed: where it runs, how to report, and the signal that ends it. */
export type RunContext = {
  jobId: string;
  runId: string;
  /** The organisation it runs for; null for a box-wide job. */
  orgId: string | null;
  trigger: JobRunTrigger;
  /** 1 for the first try. */
  attempt: number;
  /** The process logger, bound to the job and run. */
  logger: Logger;
  /** A line for the run's own log (kept with the run, the last RUN_LOG_LINES lines). */
  log: (line: string) => void;
  /** 0–100, with what it is doing now. */
  progress: (percent: number, message?: string) => void;
  /** Aborted on timeout, cancel and the box stopping: long work checks it between steps. */
  signal: AbortSignal;
  /**
   * Aborted as soon as the box begins to stop: a job that works through a queue finishes the
   * step in hand and returns (what is left waits in its queue for the next start). `signal`
   * follows at the stop deadline.
   */
  stopping: AbortSignal;
  /** Why `signal` fired: the timeout, an admin's cancel, or the stop deadline; null while it has not. */
  abortedBy: () => "timeout" | "cancel" | "shutdown" | null;
  now: () => Date;
};

/** What a run did, for its history: "marked 3 invoices overdue", with links to the records. */
export type JobResult = { summary?: string; links?: JobResultLink[] };

export type JobDefinition = {
  /** Stable: it names the job in the database, logs, metrics and the CLI (`invoices.overdue`). */
  id: string;
  title: string;
  /** What it does, for the console and `opsbox jobs list`. */
  description: string;
  /** `box`: one run for the whole box; `organization`: one per organisation. */
  scope: "box" | "organization";
  schedule: JobSchedule;
  /** Also run once soon after the process starts (catching up on what a stopped box missed). */
  runAtStart?: boolean;
  timeoutMs: number;
  retry?: RetryPolicy;
  /**
   * `notable`: a run that succeeded without a result summary leaves no history (frequent jobs
   * that usually find nothing to do); it is still counted in the metrics.
   */
  history?: "all" | "notable";
  /** Failed runs in a row that quarantine it (default 5); null: never (box health jobs the self-check watches). */
  quarantineAfter?: number | null;
  run: (ctx: RunContext) => JobResult | undefined | Promise<JobResult | undefined>;
  /** For per-organisation jobs that an organisation switches on (agents): whether its schedule runs there. */
  runsIn?: (orgId: string) => boolean;
  /**
   * For `{ event: true }` jobs: the scopes with work queued in the job's own table and when it is
   * due. Read on every tick (so it must be one cheap, indexed query) and right after a wake or a
   * run's end; a scope whose work is due gets a run (trigger `event`). List only work a run will
   * take: a scope listed as due after its run ends is run again at once.
   */
  waiting?: (now: Date) => JobWaiting[];
  /** One run of this job at a time across every scope, not only per scope (CPU-bound work such as ingestion). */
  exclusive?: boolean;
  /** Written in the same transaction as the quarantine (an agent's feed event). */
  onQuarantined?: (db: Queryable, orgId: string | null, now: Date) => void;
};

/** The wait before attempt `failed + 1`, after `failed` failed tries: 2 s, 4 s, 8 s, 10 s… plus up to 25% jitter, capped. */
export function backoffMs(policy: RetryPolicy, failed: number, random: () => number = Math.random): number {
  const base = policy.firstDelayMs * 2 ** Math.max(0, failed - 1);
  return Math.round(Math.min(policy.maxDelayMs, base * (1 + 0.25 * random())));
}

/** The next time after `from` that a schedule fires (ms), or Infinity for on-demand and event jobs. */
export function nextRunAfter(schedule: JobSchedule, from: number, crons = cronCache): number {
  if (!schedule || "event" in schedule) return Number.POSITIVE_INFINITY;
  if ("everyMs" in schedule) return from + schedule.everyMs;
  let cron = crons.get(schedule.cron);
  if (!cron) {
    cron = new Cron(schedule.cron, { timezone: "Etc/UTC", paused: true });
    crons.set(schedule.cron, cron);
  }
  return cron.nextRun(new Date(from))?.getTime() ?? Number.POSITIVE_INFINITY;
}

const cronCache = new Map<string, Cron>();

/** A schedule in words for people: "every 15 s", "0 3 * * * (UTC)", "on demand", "when there is work". */
export function describeSchedule(schedule: JobSchedule): string {
  if (!schedule) return "on demand";
  if ("event" in schedule) return "when there is work";
  if ("cron" in schedule) return `${schedule.cron} (UTC)`;
  const seconds = schedule.everyMs / 1000;
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

export const retryOf = (def: JobDefinition | undefined): RetryPolicy => def?.retry ?? DEFAULT_RETRY;

export const quarantineAfterOf = (def: JobDefinition | undefined): number | null =>
  def?.quarantineAfter === undefined ? DEFAULT_QUARANTINE_AFTER : def.quarantineAfter;

/** The scope key of a run: its organisation, or `box`. */
export const scopeOf = (orgId: string | null) => orgId ?? "box";
