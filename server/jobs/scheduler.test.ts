import { afterEach, describe, expect, test } from "bun:test";
import { jobRuns, jobStates } from "../../models/jobs.ts";
import { newId } from "../tools/ids.ts";
import { releaseQuarantine } from "./quarantine.ts";
import { gate, insertOrganizations, type JobsKit, jobsKit, testJob } from "./test-kit.ts";

let kit: JobsKit;
afterEach(() => kit?.close());

describe("the job scheduler", () => {
  test("a scheduled job runs when its cron time comes, once, and not before", async () => {
    kit = jobsKit("2030-01-07T10:30:00Z");
    let ran = 0;
    const scheduler = kit.scheduler([testJob({ schedule: { cron: "0 * * * *" }, run: () => void ran++ })]);
    expect(scheduler.tick()).toBe(0);
    kit.clock.advance(29 * 60_000);
    expect(scheduler.tick()).toBe(0);
    kit.clock.advance(60_000); // 11:00
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    kit.clock.advance(30_000);
    expect(scheduler.tick()).toBe(0);
    expect(ran).toBe(1);
    const [run] = kit.runs();
    expect(run).toMatchObject({ status: "succeeded", trigger: "schedule", attempt: 1, progress: 100 });
    expect(kit.counted).toEqual([["test.job", "succeeded"]]);
  });

  test("an organisation job runs once per organisation; a box job once", async () => {
    kit = jobsKit("2030-01-07T10:59:59Z");
    insertOrganizations(kit.db, ["org_a", "org_b", "org_c"]);
    const seen: (string | null)[] = [];
    const scheduler = kit.scheduler([
      testJob({
        id: "per.org",
        scope: "organization",
        schedule: { cron: "0 * * * *" },
        run: (ctx) => void seen.push(ctx.orgId),
      }),
      testJob({ id: "whole.box", schedule: { everyMs: 1_000 }, run: (ctx) => void seen.push(ctx.orgId) }),
    ]);
    scheduler.tick();
    kit.clock.advance(1_000);
    expect(scheduler.tick()).toBe(4);
    await scheduler.idle();
    expect(seen.sort()).toEqual(["org_a", "org_b", "org_c", null].sort() as (string | null)[]);
  });

  test("a failed attempt is retried after an exponential back-off (2 s, then 4 s) until it succeeds", async () => {
    kit = jobsKit();
    let calls = 0;
    const job = testJob({
      retry: { attempts: 3, firstDelayMs: 2_000, maxDelayMs: 10_000 },
      run: () => {
        calls++;
        if (calls < 3) throw new Error(`boom ${calls}`);
        return { summary: "done at last" };
      },
    });
    const scheduler = kit.scheduler([job]);
    scheduler.runNow("test.job", null);
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs()[0]).toMatchObject({ status: "retrying", attempt: 1, error: "boom 1" });
    expect(kit.runs()[0]?.retryAt?.getTime()).toBe(kit.clock.now.getTime() + 2_000);
    kit.clock.advance(1_999);
    expect(scheduler.tick()).toBe(0);
    kit.clock.advance(1);
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    expect(kit.runs()[0]?.retryAt?.getTime()).toBe(kit.clock.now.getTime() + 4_000);
    kit.clock.advance(4_000);
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs()[0]).toMatchObject({ status: "succeeded", attempt: 3, resultText: "done at last", error: null });
    expect(kit.runs()[0]?.log.filter((line) => line.includes("failed"))).toHaveLength(2);
  });

  test("a run that fails every attempt ends failed with its error; one that runs too long ends timed_out", async () => {
    kit = jobsKit();
    const scheduler = kit.scheduler([
      testJob({
        id: "fails",
        retry: { attempts: 2, firstDelayMs: 2_000, maxDelayMs: 10_000 },
        run: () => {
          throw new Error("no disk");
        },
      }),
      testJob({ id: "slow", timeoutMs: 30, run: () => Bun.sleep(2_000).then(() => undefined) }),
    ]);
    scheduler.runNow("fails", null);
    scheduler.runNow("slow", null);
    scheduler.tick();
    await scheduler.idle();
    kit.clock.advance(2_000);
    scheduler.tick();
    await scheduler.idle();
    const [fails, slow] = kit.runs().sort((a, b) => a.jobId.localeCompare(b.jobId));
    expect(fails).toMatchObject({ jobId: "fails", status: "failed", attempt: 2, error: "no disk" });
    expect(slow).toMatchObject({ jobId: "slow", status: "timed_out", error: "Timed out after 0.03 s." });
    expect(kit.counted.sort()).toEqual([
      ["fails", "failed"],
      ["slow", "timed_out"],
    ]);
  });

  test("a second trigger while a run is open does not start a second run", async () => {
    kit = jobsKit();
    const hold = gate();
    let started = 0;
    const scheduler = kit.scheduler([
      testJob({
        schedule: { everyMs: 1_000 },
        run: () => {
          started++;
          return hold.wait.then(() => undefined);
        },
      }),
    ]);
    scheduler.tick();
    kit.clock.advance(1_000);
    expect(scheduler.tick()).toBe(1);
    const again = scheduler.runNow("test.job", null);
    expect(again.created).toBe(false);
    expect(again.run.status).toBe("running");
    kit.clock.advance(5_000);
    expect(scheduler.tick()).toBe(0);
    hold.open();
    await scheduler.idle();
    expect(started).toBe(1);
    expect(kit.runs()).toHaveLength(1);
  });

  test("progress and the run's log are kept, the log bounded to its last 100 lines", async () => {
    kit = jobsKit();
    const scheduler = kit.scheduler([
      testJob({
        run: (ctx) => {
          for (let line = 1; line <= 150; line++) ctx.log(`line ${line}`);
          ctx.progress(50, "halfway");
          return { summary: "150 lines", links: [{ label: "Invoice", href: "/invoices/inv_1" }] };
        },
      }),
    ]);
    scheduler.runNow("test.job", null);
    scheduler.tick();
    await scheduler.idle();
    const [run] = kit.runs();
    expect(run?.log).toHaveLength(100);
    expect(run?.log.at(-1)).toEndWith("line 150");
    expect(run?.resultLinks).toEqual([{ label: "Invoice", href: "/invoices/inv_1" }]);
    expect(run?.progressMessage).toBe("halfway");
  });

  test("a quiet job's runs that found nothing leave no history", async () => {
    kit = jobsKit();
    let summary: string | undefined;
    const scheduler = kit.scheduler([testJob({ history: "notable", run: () => ({ summary }) })]);
    for (const next of [undefined, "mailed 2"]) {
      summary = next;
      scheduler.runNow("test.job", null);
      scheduler.tick();
      await scheduler.idle();
    }
    expect(kit.runs().map((run) => run.resultText)).toEqual(["mailed 2"]);
    expect(kit.counted).toHaveLength(2);
  });

  test("a run left running by a crash is marked at start and retried; at its last attempt it fails", async () => {
    kit = jobsKit();
    const row = (attempt: number, jobId: string) => ({
      id: newId("run"),
      jobId,
      status: "running" as const,
      trigger: "schedule" as const,
      attempt,
      queuedAt: kit.clock.now,
      startedAt: kit.clock.now,
      log: [],
    });
    kit.db
      .insert(jobRuns)
      .values([row(1, "test.job"), row(3, "last.try")])
      .run();
    let ran = 0;
    const retry = { attempts: 3, firstDelayMs: 2_000, maxDelayMs: 10_000 };
    const scheduler = kit.scheduler([
      testJob({ retry, run: () => void ran++ }),
      testJob({ id: "last.try", retry, run: () => void ran++ }),
    ]);
    expect(scheduler.recover()).toBe(2);
    const byJob = Object.fromEntries(kit.runs().map((run) => [run.jobId, run]));
    expect(byJob["test.job"]).toMatchObject({
      status: "retrying",
      error: "Interrupted: the box stopped during attempt 1.",
    });
    expect(byJob["last.try"]).toMatchObject({ status: "failed" });
    kit.clock.advance(2_000);
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs().find((run) => run.jobId === "test.job")).toMatchObject({ status: "succeeded", attempt: 2 });
    expect(ran).toBe(1);
  });

  test("after 5 failed runs in a row a job is quarantined for its scope until released", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a", "org_b"]);
    const scheduler = kit.scheduler([
      testJob({
        scope: "organization",
        schedule: { everyMs: 60_000 },
        run: (ctx) => {
          if (ctx.orgId === "org_a") throw new Error("broken for a");
        },
      }),
    ]);
    scheduler.tick();
    for (let round = 0; round < 7; round++) {
      kit.clock.advance(60_000);
      scheduler.tick();
      await scheduler.idle();
    }
    const runsOf = (orgId: string) => kit.runs().filter((run) => run.orgId === orgId);
    expect(runsOf("org_a")).toHaveLength(5);
    expect(runsOf("org_b")).toHaveLength(7);
    const state = kit.db.select().from(jobStates).all();
    expect(state).toHaveLength(1);
    expect(state[0]).toMatchObject({ scope: "org_a", consecutiveFailures: 5, quarantineReason: "broken for a" });
    const manual = scheduler.runNow("test.job", "org_a");
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs().find((run) => run.id === manual.run.id)?.status).toBe("cancelled");

    expect(releaseQuarantine(kit.db, { jobId: "test.job", orgId: "org_a" }, null, kit.clock.now)).toBe(true);
    kit.clock.advance(60_000);
    scheduler.tick();
    await scheduler.idle();
    expect(runsOf("org_a").filter((run) => run.trigger === "schedule")).toHaveLength(6);
  });

  test("a cancelled run stops at once and is not retried", async () => {
    kit = jobsKit();
    const scheduler = kit.scheduler([
      testJob({
        retry: { attempts: 3, firstDelayMs: 2_000, maxDelayMs: 10_000 },
        run: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))),
      }),
    ]);
    const { run } = scheduler.runNow("test.job", null);
    scheduler.tick();
    expect(scheduler.abort(run.id)).toBe(true);
    await scheduler.idle();
    expect(kit.runs()[0]).toMatchObject({ status: "cancelled", attempt: 1 });
  });

  test("stopping lets a short run finish and puts a long one back in the queue, its attempt unspent", async () => {
    kit = jobsKit();
    const scheduler = kit.scheduler([
      testJob({ id: "short", run: () => Bun.sleep(20).then(() => ({ summary: "finished" })) }),
      testJob({ id: "long", run: () => Bun.sleep(5_000).then(() => undefined) }),
    ]);
    scheduler.runNow("short", null);
    scheduler.runNow("long", null);
    scheduler.tick();
    const began = Date.now();
    await scheduler.stop(Date.now() + 600);
    expect(Date.now() - began).toBeLessThan(1_000);
    const byJob = Object.fromEntries(kit.runs().map((run) => [run.jobId, run]));
    expect(byJob.short).toMatchObject({ status: "succeeded" });
    expect(byJob.long).toMatchObject({ status: "queued", attempt: 0 });
    expect(byJob.long?.log.at(-1)).toContain("Interrupted by the box stopping");
  });
});
