import { afterEach, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { agentNotices } from "../../models/agents.ts";
import { auditEvents } from "../../models/audit.ts";
import { domainEvents } from "../../models/events.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import { taskChanges, tasks } from "../../models/work.ts";
import { runNotifier } from "../notifications/notifier.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import { flagStuckTasks, isStuck, listQuietTasks } from "../work/tasks/stuck.ts";
import { agentContext, dryRunAgent } from "./run.ts";
import { SETTINGS_KEY } from "./settings.ts";
import { stuckTasksAgent } from "./stuck-tasks.ts";
import { type AgentsKit, agentsKit } from "./test-kit.ts";

const HOUR = 3_600_000;
let kit: AgentsKit;
afterEach(() => kit?.close());

async function runOnce(scheduler = kit.scheduler()) {
  scheduler.runNow("stuck-tasks", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
  return scheduler;
}
const taskOf = (id: string) => kit.db.select().from(tasks).where(eq(tasks.id, id)).get();
const noticeCount = () => kit.db.select().from(agentNotices).all().length;

describe("the stuck-task agent", () => {
  test("flags open tasks past the threshold (48 h), not younger or done ones, as the agent in history and audit", async () => {
    kit = agentsKit();
    const project = kit.addProject("WEB", kit.people.bo);
    const stuck = kit.addTask({
      title: "Order valves",
      quietHours: 49,
      assigneeId: kit.people.ada,
      projectId: project,
    });
    const young = kit.addTask({ title: "Fresh", quietHours: 47, assigneeId: kit.people.ada });
    const done = kit.addTask({ title: "Done", quietHours: 100 });
    kit.db.update(tasks).set({ status: "done" }).where(eq(tasks.id, done)).run();
    runNotifier(kit.db, kit.clock.now); // the notifier starts reading the log from here
    await runOnce();
    expect(kit.runs()[0]).toMatchObject({
      status: "succeeded",
      resultText: "Flagged 1 task(s) as stuck; told 2 person(s).",
    });
    expect(taskOf(stuck)?.stuckAt).toEqual(kit.clock.now);
    expect(taskOf(young)?.stuckAt).toBeNull();
    expect(taskOf(done)?.stuckAt).toBeNull();
    const [change] = kit.db.select().from(taskChanges).where(eq(taskChanges.taskId, stuck)).all();
    expect(change).toMatchObject({ actorId: null, actorAgentId: "stuck-tasks", field: "stuck" });
    const audit = kit.db.select().from(auditEvents).where(eq(auditEvents.action, "task.flagged_stuck")).all();
    expect(audit.map((row) => [row.targetId, row.actorUserId, row.actorAgentId])).toEqual([
      [stuck, null, "stuck-tasks"],
    ]);
    // The assignee and the project's owner are told through notifications of kind "agents".
    runNotifier(kit.db, kit.clock.now);
    const told = kit.db.select().from(notifications).all();
    expect(told.map((row) => [row.userId, row.kind]).sort()).toEqual(
      [
        [kit.people.ada, "agents"],
        [kit.people.bo, "agents"],
      ].sort(),
    );
    expect(told[0]?.title).toStartWith("Stuck-task agent: “Order valves” no activity for 49 h");
    const types = kit.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .all()
      .map((row) => row.type);
    expect(types).toEqual(["agent.run.started", "task.stuck", "agent.run.succeeded"]);
  });

  test("tells people once, again only after the cooldown, and the cooldown survives a new scheduler", async () => {
    kit = agentsKit();
    const id = kit.addTask({ title: "Quiet", quietHours: 50, assigneeId: kit.people.ada });
    await runOnce();
    expect(noticeCount()).toBe(1);
    kit.clock.advance(HOUR);
    await runOnce(kit.scheduler()); // a restart: a new scheduler over the same database
    expect(kit.runs().at(-1)?.resultText).toBe("Found no stuck task.");
    kit.clock.advance(23 * HOUR);
    await runOnce(kit.scheduler());
    expect(kit.runs().at(-1)?.resultText).toBe("Flagged 0 task(s) as stuck; told 1 person(s).");
    const stuckEvents = kit.db.select().from(domainEvents).where(eq(domainEvents.type, "task.stuck")).all();
    expect(stuckEvents).toHaveLength(2);
    expect(taskOf(id)?.stuckAt).not.toBeNull();
  });

  test("activity clears the flag; the next quiet spell is a new one, told at once", async () => {
    kit = agentsKit();
    const id = kit.addTask({ title: "Quiet", quietHours: 50, assigneeId: kit.people.ada });
    await runOnce();
    kit.db.update(tasks).set({ lastActivityAt: kit.clock.now }).where(eq(tasks.id, id)).run();
    const [row] = listQuietTasks(kit.db, kit.orgId, new Date(kit.clock.now.getTime() + 1));
    expect(row ? isStuck(row) : null).toBe(false);
    kit.clock.advance(49 * HOUR);
    await runOnce();
    expect(kit.runs().at(-1)?.resultText).toBe("Flagged 1 task(s) as stuck; told 1 person(s).");
  });

  test("a per-project threshold and the digest to the alert address", async () => {
    kit = agentsKit();
    const ops = kit.addProject("OPS", null);
    kit.addTask({ title: "Ops task", quietHours: 10, projectId: ops });
    kit.addTask({ title: "Other task", quietHours: 10 });
    writeOrganizationSetting(
      kit.db,
      kit.orgId,
      SETTINGS_KEY,
      { "stuck-tasks": { projectThresholds: "ops=8", alertEmail: "alerts@a.test" } },
      kit.clock.now,
    );
    await runOnce();
    expect(kit.runs()[0]?.resultText).toBe("Flagged 1 task(s) as stuck; told 0 person(s).");
    const [mail] = kit.db.select().from(mailMessages).where(eq(mailMessages.template, "agent_stuck_digest")).all();
    expect(mail?.toAddress).toBe("alerts@a.test");
    expect(mail?.textBody).toContain("Ops task");
    expect(mail?.textBody).not.toContain("Other task");
  });

  test("a dry run lists what it would flag and writes nothing", () => {
    kit = agentsKit();
    kit.addTask({ title: "Order valves", quietHours: 60, assigneeId: kit.people.ada });
    const preview = dryRunAgent(kit.deps, kit.orgId, stuckTasksAgent, kit.clock.now);
    expect(preview).toEqual(["would flag “Order valves” (no activity for 60 h) and tell Ada"]);
    expect(kit.runs()).toHaveLength(0);
    expect(kit.db.select().from(domainEvents).all()).toHaveLength(0);
    expect(kit.db.select().from(taskChanges).all()).toHaveLength(0);
    expect(noticeCount()).toBe(0);
  });

  test("an agent without tasks.write in its definition cannot flag a task", () => {
    kit = agentsKit();
    const id = kit.addTask({ title: "Quiet", quietHours: 60 });
    const weaker = { ...stuckTasksAgent, permissions: ["workspace.read" as const] };
    const ctx = agentContext(kit.deps, kit.orgId, weaker);
    const [task] = listQuietTasks(kit.db, kit.orgId, kit.clock.now);
    if (!task) throw new Error("no task");
    expect(() => flagStuckTasks(kit.db, ctx, [{ task, reason: "quiet", tell: [] }], kit.clock.now)).toThrow(
      "Flagging tasks needs tasks.write.",
    );
    expect(taskOf(id)?.stuckAt).toBeNull();
  });

  test("the schedule runs it hourly only where the organisation switched it on (setup's agents.enabled)", async () => {
    kit = agentsKit("2030-01-07T10:59:59Z");
    kit.addTask({ title: "Quiet", quietHours: 60 });
    const scheduler = kit.scheduler();
    scheduler.tick();
    kit.clock.advance(1_000);
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs()).toHaveLength(0); // off everywhere
    kit.enable("stuck-tasks");
    kit.clock.advance(HOUR);
    scheduler.tick();
    await scheduler.idle();
    expect(kit.runs().map((run) => [run.jobId, run.orgId, run.trigger])).toEqual([
      ["stuck-tasks", kit.orgId, "schedule"],
    ]);
  });

  test("five failed runs in a row quarantine it in the organisation, with an agent.run.quarantined event", async () => {
    kit = agentsKit();
    kit.addTask({ title: "Quiet", quietHours: 60 });
    // A stored setting no longer valid is dropped, but a broken table is a failure: drop the column it reads.
    kit.db.run("ALTER TABLE tasks RENAME COLUMN stuck_at TO stuck_at_gone");
    const scheduler = kit.scheduler();
    for (let round = 0; round < 5; round++) {
      scheduler.runNow("stuck-tasks", kit.orgId);
      for (let attempt = 0; attempt < 3; attempt++) {
        scheduler.tick();
        await scheduler.idle();
        kit.clock.advance(10_000);
      }
    }
    kit.db.run("ALTER TABLE tasks RENAME COLUMN stuck_at_gone TO stuck_at");
    const types = kit.db
      .select({ type: domainEvents.type })
      .from(domainEvents)
      .all()
      .map((row) => row.type);
    expect(types.filter((type) => type === "agent.run.failed")).toHaveLength(15);
    expect(types.at(-1)).toBe("agent.run.quarantined");
    expect(scheduler.runNow("stuck-tasks", kit.orgId).created).toBe(true);
    scheduler.tick();
    expect(kit.runs().at(-1)?.status).toBe("cancelled");
    expect(
      kit.db
        .select()
        .from(mailMessages)
        .where(and(eq(mailMessages.template, "job_quarantined")))
        .all(),
    ).toHaveLength(1);
  });
});
