import type { Command } from "commander";
import type { JobRun } from "../../models/jobs.ts";
import { type CliContext, CliFailure, withCliContext } from "../cli-context.ts";
import { runningServerPid } from "../tools/pid-file.ts";
import { describeSchedule, type JobDefinition, scopeOf } from "./definition.ts";
import { listQuarantines, quarantinedScopes } from "./quarantine.ts";
import { enqueueRun, findRunById, listVisibleRuns } from "./runs.ts";
import { systemJobs } from "./system-jobs.ts";

const POLL_MS = 200;
const minute = (at: Date | null) => (at ? at.toISOString().slice(0, 19).replace("T", " ") : "—");

function jobOrFail(ctx: CliContext, id: string): JobDefinition {
  const job = systemJobs(ctx).find((item) => item.id === id);
  if (!job) throw new CliFailure(`No job "${id}". \`opsbox jobs list\` shows them.`);
  return job;
}

function scopeFor(job: JobDefinition, org: string | undefined): string | null {
  if (job.scope === "box" && org) throw new CliFailure(`${job.id} runs for the whole box: leave out --org.`);
  if (job.scope === "organization" && !org)
    throw new CliFailure(`${job.id} runs per organisation: name one with --org.`);
  return org ?? null;
}

/** One run as the CLI prints it (jobs and agents). */
export const runLine = (run: JobRun) =>
  `${run.id}  ${run.status.padEnd(9)}  ${run.trigger.padEnd(8)}  attempt ${run.attempt}  ${minute(run.queuedAt)}  ${
    run.error ?? run.resultText ?? ""
  }`;

/**
 * Queues a manual run for the running server to pick up and waits up to `waitSeconds` for its
 * end, printing it (exit 1 when it failed); without a server it stays queued for the next start.
 */
export async function queueAndAwaitRun(
  ctx: CliContext,
  jobId: string,
  orgId: string | null,
  waitSeconds: number,
): Promise<void> {
  const { run, created } = enqueueRun(ctx.db, { jobId, orgId, trigger: "manual" }, new Date());
  console.log(created ? `Queued ${run.id}.` : `${jobId} has a run open already: ${run.id} (${run.status}).`);
  if (runningServerPid(ctx.config.dataDir) === null) {
    console.log("The server is not running: the run starts when it does.");
    return;
  }
  const until = Date.now() + waitSeconds * 1000;
  let current = run;
  while (["queued", "running", "retrying"].includes(current.status) && Date.now() < until) {
    await Bun.sleep(POLL_MS);
    current = findRunById(ctx.db, run.id) ?? current;
  }
  console.log(runLine(current));
  if (["failed", "timed_out", "cancelled"].includes(current.status)) throw new CliFailure(`The run ${current.status}.`);
}

/** The job's last runs in the scope, newest first (`limit` as typed: 1–200, else 20). */
export function printRunHistory(ctx: CliContext, jobId: string, orgId: string | null, limit: string): void {
  const runs = listVisibleRuns(
    ctx.db,
    { orgId: orgId ?? "", box: orgId === null },
    { jobId },
    { limit: Math.min(200, Math.max(1, Number(limit) || 20)) },
  ).filter((run) => run.orgId === orgId);
  if (runs.length === 0) console.log(`${jobId} has no runs in its history.`);
  for (const run of runs) console.log(runLine(run));
}

/** `opsbox jobs list | run <id> [--org] | history <id> [--org]`. */
export function registerJobCommands(program: Command): void {
  const jobs = program.command("jobs").description("background jobs: what runs when, run one now, its history");

  jobs
    .command("list")
    .description("every job with its schedule, and those stopped after repeated failures")
    .action(() =>
      withCliContext((ctx) => {
        const stopped = quarantinedScopes(ctx.db);
        for (const job of systemJobs(ctx)) {
          const flag = stopped.has(`${job.id}\u0000${scopeOf(null)}`) ? "  QUARANTINED" : "";
          console.log(`${job.id.padEnd(22)} ${describeSchedule(job.schedule).padEnd(20)} ${job.title}${flag}`);
        }
        for (const item of listQuarantines(ctx.db, { orgId: "", box: true }).filter((entry) => entry.orgId)) {
          console.log(`! ${item.jobId} is quarantined for organisation ${item.orgId}: ${item.reason}`);
        }
      }),
    );

  jobs
    .command("run <id>")
    .description("run a job now: the running server picks it up (this waits for the end), or the next start does")
    .option("--org <orgId>", "the organisation, for a job that runs per organisation")
    .option("--wait <seconds>", "how long to wait for the server to finish it", "120")
    .action((id: string, options: { org?: string; wait: string }) =>
      withCliContext(async (ctx) => {
        const job = jobOrFail(ctx, id);
        const orgId = scopeFor(job, options.org);
        if (quarantinedScopes(ctx.db).has(`${job.id}\u0000${scopeOf(orgId)}`))
          throw new CliFailure(`${job.id} is quarantined after repeated failures: release it on /jobs first.`);
        await queueAndAwaitRun(ctx, job.id, orgId, Number(options.wait));
      }),
    );

  jobs
    .command("history <id>")
    .description("the job's last runs, newest first")
    .option("--org <orgId>", "the organisation, for a job that runs per organisation")
    .option("--limit <n>", "how many runs", "20")
    .action((id: string, options: { org?: string; limit: string }) =>
      withCliContext((ctx) => {
        const job = jobOrFail(ctx, id);
        const orgId = scopeFor(job, options.org);
        printRunHistory(ctx, job.id, orgId, options.limit);
      }),
    );
}
