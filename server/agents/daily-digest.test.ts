import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { users } from "../../models/identity.ts";
import { mailMessages } from "../../models/mail.ts";
import { notifications } from "../../models/notifications.ts";
import { projectMembers, tasks } from "../../models/work.ts";
import { publishEvent } from "../events/publish.ts";
import { setMyPreferences } from "../notifications/preferences.ts";
import { readOrganizationSetting } from "../organization-settings.ts";
import { setOrganizationTimeZone } from "../organization-time-zone.ts";
import { newId } from "../tools/ids.ts";
import { dailyDigestAgent, LAST_DIGEST_KEY } from "./daily-digest.ts";
import { dryRunAgent } from "./run.ts";
import { type AgentsKit, addPerson, agentsKit } from "./test-kit.ts";

const HOUR = 3_600_000;
let kit: AgentsKit;
afterEach(() => kit?.close());

// Monday 7 January 2030; New York is UTC−5 then, so its 07:00 is 12:00 UTC.
const beforeTheHour = "2030-01-07T11:30:00Z";

async function runOnce() {
  const scheduler = kit.scheduler(); // a new scheduler each time: what was served lives in the database
  scheduler.runNow("daily-digest", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
}
const digests = () =>
  kit.db
    .select({
      to: mailMessages.toAddress,
      subject: mailMessages.subject,
      text: mailMessages.textBody,
      html: mailMessages.htmlBody,
    })
    .from(mailMessages)
    .where(eq(mailMessages.template, "daily_digest"))
    .all();
const dueAt = (id: string, at: string) =>
  kit.db
    .update(tasks)
    .set({ dueAt: new Date(at) })
    .where(eq(tasks.id, id))
    .run();

/** Ada: one task due today (New York), one overdue, one approval waiting on her. */
function adasMorning(start = beforeTheHour): AgentsKit {
  kit = agentsKit(start);
  setOrganizationTimeZone(kit.db, kit.orgId, "America/New_York", kit.clock.now);
  dueAt(kit.addTask({ title: "Ship the valves", quietHours: 1, assigneeId: kit.people.ada }), "2030-01-08T03:00:00Z");
  dueAt(kit.addTask({ title: "Late report", quietHours: 1, assigneeId: kit.people.ada }), "2030-01-05T12:00:00Z");
  // Due tomorrow in New York: not in today's digest.
  dueAt(kit.addTask({ title: "Next week", quietHours: 1, assigneeId: kit.people.ada }), "2030-01-08T06:00:00Z");
  kit.addApproval("Buy a van", 30, kit.people.ada);
  return kit;
}

describe("the daily digest", () => {
  test("goes out at the organisation's local hour, not before, with a link to each item", async () => {
    adasMorning();
    await runOnce(); // 06:30 in New York
    expect(digests()).toHaveLength(0);
    expect(kit.runs()[0]?.resultText).toBe(
      "Sent no digest: not due yet: the digest goes out at 07:00 (America/New_York).",
    );
    kit.clock.advance(HOUR); // 07:30 in New York
    await runOnce();
    const [mail, ...others] = digests();
    expect(others).toHaveLength(0); // Bo and the admin have nothing to be told
    expect(mail?.to).toBe("ada@org_a.test");
    expect(mail?.subject).toBe("Your day: 1 due today, 1 overdue, 1 approval waiting · org_a");
    expect(mail?.text).toContain("Good morning Ada: 1 due today, 1 overdue, 1 approval waiting on 2030-01-07.");
    expect(mail?.text).toMatch(/- Ship the valves: https:\/\/box\.example\/tasks\/tsk_/);
    expect(mail?.text).toMatch(/- Late report \(was due 2030-01-05\): https:\/\/box\.example\/tasks\/tsk_/);
    expect(mail?.text).toMatch(/- Buy a van \(waiting 31 h\): https:\/\/box\.example\/approvals\/apr_/);
    expect(mail?.text).not.toContain("Next week");
    expect(mail?.text).toContain("https://box.example/account/notifications");
    expect(mail?.html).toContain(
      '<p class="om-text" style="margin:0 0 4px;font-size:16px;font-weight:600;color:#1f2328">Overdue</p>',
    );
    expect(mail?.html).toMatch(
      /<a class="om-link" href="https:\/\/box\.example\/approvals\/apr_\w+"[^>]*>Buy a van<\/a>/,
    );
    expect(mail?.html).toContain('href="https://box.example/account/notifications"');
  });

  test("never twice the same local day, and again the next morning", async () => {
    adasMorning("2030-01-07T12:00:00Z");
    await runOnce();
    kit.clock.advance(HOUR);
    await runOnce();
    kit.clock.advance(15 * HOUR); // 23:00 in New York, 04:00 UTC the next day
    await runOnce();
    expect(digests()).toHaveLength(1);
    kit.clock.advance(7 * HOUR); // 06:00 the next day in New York
    await runOnce();
    expect(digests()).toHaveLength(1);
    kit.clock.advance(HOUR);
    await runOnce();
    expect(digests()).toHaveLength(2);
    expect(readOrganizationSetting(kit.db, kit.orgId, LAST_DIGEST_KEY)).toMatchObject({ day: "2030-01-08" });
  });

  test("a box that was off at the hour catches up later that day", async () => {
    adasMorning();
    await runOnce();
    kit.clock.advance(6 * HOUR); // 12:30 in New York: the 07:00 run never happened
    await runOnce();
    expect(digests()).toHaveLength(1);
  });

  test("nobody with nothing to say gets one, nor an invited or deactivated person; the day still counts as served", async () => {
    kit = agentsKit("2030-01-07T08:00:00Z");
    for (const [name, status] of [
      ["Ivy", "invited"],
      ["Dan", "deactivated"],
    ] as const) {
      const id = addPerson(kit.db, kit.orgId, name, "member");
      kit.db.update(users).set({ status }).where(eq(users.id, id)).run();
      dueAt(kit.addTask({ title: `${name}'s task`, quietHours: 1, assigneeId: id }), "2030-01-07T20:00:00Z");
    }
    await runOnce();
    expect(digests()).toHaveLength(0);
    expect(kit.runs()[0]?.resultText).toBe("Sent the digest of 2030-01-07 to 0 person(s) (0 by e-mail).");
    expect(readOrganizationSetting(kit.db, kit.orgId, LAST_DIGEST_KEY)).toMatchObject({ day: "2030-01-07" });
  });

  test("switched off in a person's preferences, none is sent; switched on in the console, it shows in the bell", async () => {
    adasMorning("2030-01-07T12:00:00Z");
    // What /account/notifications and PUT /api/v1/me/notification-preferences call.
    const choose = (userId: string, channels: { console: boolean; email: boolean }) =>
      setMyPreferences(
        {
          ...kit.deps,
          orgId: kit.orgId,
          userId,
          apiKeyId: null,
          permissions: new Set(["workspace.read"]),
          meta: {},
        },
        { choices: { daily_digest: channels } },
        kit.clock.now,
      );
    choose(kit.people.ada, { console: false, email: false });
    dueAt(kit.addTask({ title: "Bo's task", quietHours: 1, assigneeId: kit.people.bo }), "2030-01-07T20:00:00Z");
    choose(kit.people.bo, { console: true, email: false });
    expect(dryRunAgent(kit.deps, kit.orgId, dailyDigestAgent, kit.clock.now)).toEqual([
      "would send a digest to 1 person:",
      "Bo (1 due today)",
      "1 switched the digest off",
    ]);
    await runOnce();
    expect(digests()).toHaveLength(0);
    const bell = kit.db.select().from(notifications).all();
    expect(bell.map((row) => [row.userId, row.kind, row.title, row.inConsole, row.emailStatus])).toEqual([
      [kit.people.bo, "daily_digest", "Your day: 1 due today", true, "none"],
    ]);
  });

  test("what others changed on a person's projects since the last digest, never another organisation's data", async () => {
    adasMorning("2030-01-07T12:00:00Z");
    const project = kit.addProject("WEB", null);
    kit.db.insert(projectMembers).values({ projectId: project, userId: kit.people.ada, orgId: kit.orgId }).run();
    const task = kit.addTask({ title: "Landing page", quietHours: 1, projectId: project });
    const change = (summary: string, actorId: string, orgId = kit.orgId, subjectId = task) =>
      publishEvent(
        kit.db,
        { orgId, userId: actorId },
        { type: "task.updated", subjectType: "task", subjectId, summary },
        kit.clock.now,
      );
    change("Bo moved “Landing page” to Review", kit.people.bo);
    change("Ada renamed “Landing page”", kit.people.ada); // her own change is no news to her
    // The other organisation: its people, tasks, approvals and events.
    const stranger = addPerson(kit.db, "org_b", "Stranger", "admin");
    const theirs = newId("tsk");
    kit.db
      .insert(tasks)
      .values({
        id: theirs,
        orgId: "org_b",
        title: "Secret plan",
        assigneeId: kit.people.ada,
        dueAt: new Date("2030-01-07T13:00:00Z"),
        lastActivityAt: kit.clock.now,
      })
      .run();
    change("Stranger moved “Secret plan”", stranger, "org_b", theirs);
    change("Stranger touched a task id of org_a", stranger, "org_b", task);
    await runOnce();
    const [mail] = digests();
    expect(mail?.subject).toBe("Your day: 1 due today, 1 overdue, 1 approval waiting, 1 change · org_a");
    expect(mail?.text).toContain(
      "1 change on your projects\n- Bo moved “Landing page” to Review: https://box.example/tasks/",
    );
    expect(mail?.text).not.toContain("Secret plan");
    expect(mail?.text).not.toContain("Stranger");
    expect(digests()).toHaveLength(1);
    // The next digest counts only what came after this one.
    kit.clock.advance(24 * HOUR);
    change("Bo closed “Landing page”", kit.people.bo);
    await runOnce();
    expect(digests()[1]?.text).toContain("1 change on your projects\n- Bo closed “Landing page”");
  });

  test("a dry run says who would get what and writes nothing", () => {
    adasMorning("2030-01-07T12:00:00Z");
    expect(dryRunAgent(kit.deps, kit.orgId, dailyDigestAgent, kit.clock.now)).toEqual([
      "would send a digest to 1 person:",
      "Ada (1 due today, 1 overdue, 1 approval waiting)",
    ]);
    expect(digests()).toHaveLength(0);
    expect(kit.db.select().from(notifications).all()).toHaveLength(0);
    expect(readOrganizationSetting(kit.db, kit.orgId, LAST_DIGEST_KEY)).toBeUndefined();
  });
});
