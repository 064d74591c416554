import { afterEach, describe, expect, test } from "bun:test";
import type { JobDefinition, JobWaiting } from "./definition.ts";
import { gate, insertOrganizations, type JobsKit, jobsKit, testJob } from "./test-kit.ts";

let kit: JobsKit;
afterEach(() => kit?.close());

/** A queue of work per organisation, as an event job's own table would hold it. */
function workQueue() {
  const items: { orgId: string; dueAt: Date }[] = [];
  return {
    items,
    add: (orgId: string, dueAt: Date) => items.push({ orgId, dueAt }),
    waiting: (): JobWaiting[] => {
      const byOrg = new Map<string, Date>();
      for (const item of items) {
        const known = byOrg.get(item.orgId);
        if (!known || item.dueAt < known) byOrg.set(item.orgId, item.dueAt);
      }
      return [...byOrg].map(([orgId, dueAt]) => ({ orgId, dueAt }));
    },
    take: (orgId: string, now: Date) => {
      const index = items.findIndex((item) => item.orgId === orgId && item.dueAt <= now);
      return index < 0 ? null : items.splice(index, 1)[0];
    },
  };
}

/** An organisation job run when its queue has due work. */
const queueJob = (
  queue: ReturnType<typeof workQueue>,
  overrides: Partial<JobDefinition> & Pick<JobDefinition, "run">,
) =>
  testJob({ id: "queue.work", scope: "organization", schedule: { event: true }, waiting: queue.waiting, ...overrides });

describe("event jobs (schedule: { event: true })", () => {
  test("a scope with due work gets one run with trigger event; work due later waits for its time", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a", "org_b"]);
    const queue = workQueue();
    const done: string[] = [];
    const scheduler = kit.scheduler([
      queueJob(queue, {
        id: "queue.work",
        run: (ctx) => {
          for (let item = queue.take(ctx.orgId ?? "", ctx.now()); item; item = queue.take(ctx.orgId ?? "", ctx.now()))
            done.push(item.orgId);
          return { summary: `Did ${done.length}.` };
        },
      }),
    ]);
    expect(scheduler.tick()).toBe(0);
    queue.add("org_a", kit.clock.now);
    queue.add("org_b", new Date(kit.clock.now.getTime() + 5_000));
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    expect(done).toEqual(["org_a"]);
    expect(scheduler.tick()).toBe(0);
    kit.clock.advance(5_000);
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    expect(done).toEqual(["org_a", "org_b"]);
    expect(kit.runs().map((run) => [run.orgId, run.trigger, run.status])).toEqual([
      ["org_a", "event", "succeeded"],
      ["org_b", "event", "succeeded"],
    ]);
  });

  test("wake() starts a started scheduler's run at once; work queued during a run gets a run right after it", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a"]);
    const queue = workQueue();
    const first = gate();
    let runs = 0;
    const scheduler = kit.scheduler([
      queueJob(queue, {
        id: "queue.work",
        run: async (ctx) => {
          runs++;
          queue.take("org_a", ctx.now());
          if (runs === 1) await first.wait;
          return undefined;
        },
      }),
    ]);
    scheduler.start();
    try {
      queue.add("org_a", kit.clock.now);
      scheduler.wake();
      await Bun.sleep(30);
      expect(runs).toBe(1);
      // Queued while the first run is past the point where it looked.
      queue.add("org_a", kit.clock.now);
      scheduler.wake();
      await Bun.sleep(30);
      expect(runs).toBe(1);
      first.open();
      await Bun.sleep(50);
      expect(runs).toBe(2);
      expect(queue.items).toEqual([]);
    } finally {
      await scheduler.stop(Date.now() + 1_000);
    }
  });

  test("an exclusive job runs in one organisation at a time; the next starts when it ends", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a", "org_b"]);
    const queue = workQueue();
    const release = gate();
    const order: string[] = [];
    const scheduler = kit.scheduler([
      queueJob(queue, {
        id: "queue.cpu",
        exclusive: true,
        run: async (ctx) => {
          order.push(`start ${ctx.orgId}`);
          queue.take(ctx.orgId ?? "", ctx.now());
          await release.wait;
          order.push(`end ${ctx.orgId}`);
          return undefined;
        },
      }),
    ]);
    queue.add("org_a", kit.clock.now);
    queue.add("org_b", kit.clock.now);
    expect(scheduler.tick()).toBe(1);
    expect(scheduler.tick()).toBe(0);
    release.open();
    await scheduler.idle();
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    expect(order).toEqual(["start org_a", "end org_a", "start org_b", "end org_b"]);
  });

  test("a quarantined scope's work is not started", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a"]);
    const queue = workQueue();
    const scheduler = kit.scheduler([
      queueJob(queue, {
        id: "queue.broken",
        quarantineAfter: 1,
        run: () => {
          throw new Error("cannot do it");
        },
      }),
    ]);
    queue.add("org_a", kit.clock.now);
    expect(scheduler.tick()).toBe(1);
    await scheduler.idle();
    expect(scheduler.tick()).toBe(0);
    expect(kit.runs().map((run) => run.status)).toEqual(["failed"]);
  });
});

describe("stopping the box", () => {
  test("a run working through steps finishes the step in hand when the stop begins, and ends well", async () => {
    kit = jobsKit();
    const steps: number[] = [];
    const scheduler = kit.scheduler([
      testJob({
        id: "steps",
        run: async (ctx) => {
          for (let step = 1; step <= 100 && !ctx.stopping.aborted; step++) {
            await Bun.sleep(20);
            steps.push(step);
          }
          return { summary: `Did ${steps.length} of 100 steps; the rest waits for the next start.` };
        },
      }),
    ]);
    scheduler.runNow("steps", null);
    scheduler.tick();
    await Bun.sleep(50);
    await scheduler.stop(Date.now() + 2_000);
    const [run] = kit.runs();
    expect(run?.status).toBe("succeeded");
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.length).toBeLessThan(100);
    expect(steps).toEqual(steps.map((_, index) => index + 1));
  });

  test("a running event job that ignores the stop is interrupted at the deadline and queued for the next start", async () => {
    kit = jobsKit();
    insertOrganizations(kit.db, ["org_a"]);
    const queue = workQueue();
    const scheduler = kit.scheduler([
      queueJob(queue, {
        id: "queue.slow",
        run: () => Bun.sleep(5_000).then(() => undefined),
      }),
    ]);
    queue.add("org_a", kit.clock.now);
    scheduler.tick();
    await scheduler.stop(Date.now() + 400);
    const [run] = kit.runs();
    expect(run).toMatchObject({ status: "queued", attempt: 0, trigger: "event" });
    expect(run?.log.at(-1)).toContain("Interrupted by the box stopping");
  });
});
