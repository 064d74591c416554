import { copyFileSync, rmSync } from "node:fs";
import { organizations } from "../../models/identity.ts";
import { type JobRun, jobRuns } from "../../models/jobs.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { makeTempDir, migratedDatabaseTemplate } from "../testing/harness.ts";
import type { JobDefinition } from "./definition.ts";
import { JobScheduler } from "./scheduler.ts";

/** A migrated database of the test's own, a clock it moves by hand, and a scheduler over both. */
export type JobsKit = {
  db: Db;
  clock: { now: Date; advance: (ms: number) => void };
  scheduler: (jobs: JobDefinition[]) => JobScheduler;
  runs: () => JobRun[];
  counted: [string, string][];
  close: () => void;
};

export function jobsKit(start = "2030-01-07T10:30:00Z"): JobsKit {
  const dir = makeTempDir("opsbox-jobs-");
  copyFileSync(migratedDatabaseTemplate(), databasePath(dir));
  const db = openDatabase(databasePath(dir));
  const clock = {
    now: new Date(start),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const counted: [string, string][] = [];
  const log = createLogger("fatal");
  return {
    db,
    clock,
    counted,
    scheduler: (jobs) =>
      new JobScheduler({
        db,
        log,
        jobs,
        baseUrl: "https://box.example",
        now: () => clock.now,
        random: () => 0,
        countJobRun: (job, status) => counted.push([job, status]),
      }),
    runs: () => db.select().from(jobRuns).orderBy(jobRuns.id).all(),
    close: () => {
      closeDatabase(db);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function insertOrganizations(db: Db, ids: string[]): void {
  for (const id of ids)
    db.insert(organizations).values({ id, name: id, industry: "other", complianceLevel: "basic", policy: {} }).run();
}

/** A job with defaults for tests: box-wide, on demand, one attempt, a short timeout. */
export function testJob(overrides: Partial<JobDefinition> & Pick<JobDefinition, "run">): JobDefinition {
  return {
    id: "test.job",
    title: "Test job",
    description: "A job of the tests.",
    scope: "box",
    schedule: null,
    timeoutMs: 5_000,
    retry: { attempts: 1, firstDelayMs: 2_000, maxDelayMs: 10_000 },
    ...overrides,
  };
}

/** A promise and the function that settles it: a job that runs until the test lets it finish. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}
