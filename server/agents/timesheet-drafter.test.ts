import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { agentNotices } from "../../models/agents.ts";
import { domainEvents } from "../../models/events.ts";
import { githubConnections } from "../../models/github.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import { timeEntries } from "../../models/time.ts";
import { taskChanges } from "../../models/work.ts";
import { mailWaitingNotifications } from "../notifications/mail.ts";
import { runNotifier } from "../notifications/notifier.ts";
import { setOrganizationTimeZone } from "../organization-time-zone.ts";
import { newId } from "../tools/ids.ts";
import { dryRunAgent } from "./run.ts";
import { type AgentsKit, agentsKit } from "./test-kit.ts";
import { timesheetDrafterAgent } from "./timesheet-drafter.ts";

const HOUR = 3_600_000;
let kit: AgentsKit;
afterEach(() => kit?.close());

async function runOnce() {
  const scheduler = kit.scheduler();
  scheduler.runNow("timesheet-drafter", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
}
const reminders = () =>
  kit.db
    .select()
    .from(domainEvents)
    .where(eq(domainEvents.type, "timesheet.draft_ready"))
    .all()
    .map((event) => event.data.userId);

/** Berlin (UTC+1 in January); Ada moved a task on Tuesday; Bo connected GitHub; the clock at Friday 14:30 Berlin. */
function setUp() {
  kit = agentsKit("2030-01-11T13:30:00Z");
  setOrganizationTimeZone(kit.db, kit.orgId, "Europe/Berlin", kit.clock.now);
  runNotifier(kit.db, kit.clock.now); // the notifier starts reading the log from here
  const task = kit.addTask({ title: "Order valves", quietHours: 1, assigneeId: kit.people.ada });
  kit.db
    .insert(taskChanges)
    .values({
      id: newId("chg"),
      orgId: kit.orgId,
      taskId: task,
      actorId: kit.people.ada,
      field: "status",
      toValue: '"review"',
      createdAt: new Date("2030-01-08T09:00:00Z"),
    })
    .run();
  kit.db
    .insert(githubConnections)
    .values({ orgId: kit.orgId, userId: kit.people.bo, login: "bo", tokenEncrypted: "v1.x.y", repositories: [] })
    .run();
}

describe("the timesheet drafter", () => {
  test("reminds at Friday 15:00 in the organisation's time zone, once per week, and writes no time entry", async () => {
    setUp();
    await runOnce(); // 14:30 in Berlin: not yet
    expect(reminders()).toEqual([]);
    kit.clock.advance(30 * 60_000); // 15:00 in Berlin
    await runOnce();
    expect(reminders().sort()).toEqual([kit.people.ada, kit.people.bo].sort());
    kit.clock.advance(HOUR);
    await runOnce(); // a new scheduler: what was served lives in agent_notices
    expect(reminders()).toHaveLength(2);
    expect(kit.runs().at(-1)?.resultText).toBe("Nothing to do (already reminded everyone for the week of 2030-01-07).");
    expect(kit.db.select().from(agentNotices).where(eq(agentNotices.recipient, "organization")).all()).toHaveLength(1);
    expect(kit.db.select().from(timeEntries).all()).toEqual([]);

    // Each is told through notifications of kind timesheet_draft, with the preview link by e-mail.
    runNotifier(kit.db, kit.clock.now);
    const told = kit.db.select().from(notifications).where(eq(notifications.userId, kit.people.ada)).all();
    expect(told.map((row) => [row.kind, row.link, row.title])).toEqual([
      [
        "timesheet_draft",
        "/time/draft?week=2030-01-07",
        "Your timesheet draft for the week of 2030-01-07 is ready: 1 suggested entry to review",
      ],
    ]);
    mailWaitingNotifications(kit.deps, new Date(kit.clock.now.getTime() + 2 * 60_000));
    const mail = kit.db.select().from(mailMessages).where(eq(mailMessages.toAddress, "ada@org_a.test")).get();
    expect(mail?.textBody).toContain("https://box.example/time/draft?week=2030-01-07");
  });

  test("the next Friday serves the next week; Thursday and Saturday serve none", async () => {
    setUp();
    kit.clock.advance(-HOUR * 24); // Thursday 14:30 in Berlin
    await runOnce();
    kit.clock.advance(HOUR * 24 * 2 + HOUR); // Saturday 15:30
    await runOnce();
    expect(reminders()).toEqual([]);
    kit.clock.advance(-HOUR * 24); // Friday 15:30
    await runOnce();
    expect(reminders()).toHaveLength(2);
    kit.clock.advance(HOUR * 24 * 7); // a week later: Bo (GitHub) again, Ada has nothing new
    await runOnce();
    expect(reminders().filter((userId) => userId === kit.people.bo)).toHaveLength(2);
    expect(reminders().filter((userId) => userId === kit.people.ada)).toHaveLength(1);
  });

  test("a dry run lists who would be reminded and how many suggestions, and writes nothing", () => {
    setUp();
    kit.clock.advance(HOUR);
    expect(dryRunAgent(kit.deps, kit.orgId, timesheetDrafterAgent, kit.clock.now).sort()).toEqual([
      "would remind Ada about the week of 2030-01-07: 1 suggestion(s)",
      "would remind Bo about the week of 2030-01-07: commits from GitHub",
    ]);
    expect(reminders()).toEqual([]);
    expect(kit.db.select().from(agentNotices).all()).toEqual([]);
  });
});
