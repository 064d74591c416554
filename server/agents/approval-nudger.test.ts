import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { approvalRequests } from "../../models/approvals.ts";
import { auditEvents } from "../../models/audit.ts";
import { mailMessages } from "../../models/mail.ts";
import { mailInboxes } from "../../models/mail-inbound.ts";
import { checkReplyToken, replyTokenOf } from "../tools/reply-token.ts";
import { approvalNudgerAgent } from "./approval-nudger.ts";
import { dryRunAgent } from "./run.ts";
import { type AgentsKit, agentsKit } from "./test-kit.ts";

const HOUR = 3_600_000;
let kit: AgentsKit;
afterEach(() => kit?.close());

async function runOnce(scheduler = kit.scheduler()) {
  scheduler.runNow("approval-nudger", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
}
const nudges = () =>
  kit.db
    .select({ to: mailMessages.toAddress, subject: mailMessages.subject, text: mailMessages.textBody })
    .from(mailMessages)
    .where(eq(mailMessages.template, "approval_nudge"))
    .all();
const requestOf = (id: string) => kit.db.select().from(approvalRequests).where(eq(approvalRequests.id, id)).get();

describe("the approval nudger", () => {
  test("urgency rises low → medium → high → critical; approvers are e-mailed at each level, admins at critical", async () => {
    kit = agentsKit();
    const id = kit.addApproval("Buy valves", 10, kit.people.ada);
    await runOnce();
    expect(nudges()).toHaveLength(0);
    expect(requestOf(id)?.urgency).toBeNull();
    const expected: [number, string][] = [
      [15, "low"],
      [24, "medium"],
      [24, "high"],
      [24, "critical"],
    ];
    for (const [hours, level] of expected) {
      kit.clock.advance(hours * HOUR);
      await runOnce(kit.scheduler()); // a new scheduler each time: the cooldown lives in the database
      expect(requestOf(id)).toMatchObject({ urgency: level, urgencyStep: 0 });
    }
    const mails = nudges();
    expect(mails.map((mail) => mail.subject.slice(0, mail.subject.indexOf("]") + 1))).toEqual([
      "[LOW]",
      "[MEDIUM]",
      "[HIGH]",
      "[CRITICAL]",
      "[CRITICAL]",
    ]);
    expect(mails.slice(0, 4).every((mail) => mail.to === "ada@org_a.test")).toBe(true);
    expect(mails[4]?.to).toBe("admin@org_a.test");
    expect(mails[3]?.text).toContain(`https://box.example/approvals/${id}`);
    expect(mails[3]?.text).toContain("Urgency: critical");
    const audit = kit.db.select().from(auditEvents).where(eq(auditEvents.action, "approval.nudged")).all();
    expect(audit.every((row) => row.actorAgentId === "approval-nudger" && row.actorUserId === null)).toBe(true);
  });

  test("never more than once per 24 h per request and approver, even when the level rises sooner", async () => {
    kit = agentsKit();
    kit.addApproval("Buy valves", 47, kit.people.ada);
    await runOnce();
    expect(nudges()).toHaveLength(1); // low
    kit.clock.advance(2 * HOUR); // 49 h: medium, but told 2 h ago
    await runOnce(kit.scheduler());
    expect(nudges()).toHaveLength(1);
    kit.clock.advance(22 * HOUR);
    await runOnce(kit.scheduler());
    expect(nudges()).toHaveLength(2);
    kit.clock.advance(HOUR); // the same level an hour later: nothing new to say
    await runOnce(kit.scheduler());
    expect(nudges()).toHaveLength(2);
  });

  test("with an inbound mailbox, a reply to the nudge is addressed to become the approver's comment on the request", async () => {
    kit = agentsKit();
    const id = kit.addApproval("Buy valves", 30, kit.people.ada);
    await runOnce();
    const [withoutMailbox] = kit.db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.template, "approval_nudge"))
      .all();
    expect(withoutMailbox?.replyTo).toBeNull();
    expect(withoutMailbox?.textBody).not.toContain("Reply to this e-mail");
    kit.db
      .insert(mailInboxes)
      .values({
        orgId: kit.orgId,
        address: "inbox@org_a.test",
        host: "imap.test",
        port: 993,
        security: "tls",
        username: "inbox",
      })
      .run();
    kit.clock.advance(25 * HOUR);
    await runOnce(kit.scheduler());
    const nudge = kit.db
      .select()
      .from(mailMessages)
      .where(eq(mailMessages.template, "approval_nudge"))
      .orderBy(mailMessages.id) // ids grow with time
      .all()[1];
    expect(nudge?.textBody).toContain("Reply to this e-mail to add a comment to the request.");
    const token = replyTokenOf(nudge?.replyTo ?? "") ?? "";
    expect(nudge?.replyTo).toStartWith("inbox+");
    expect(
      checkReplyToken(kit.deps.keyring, { orgId: kit.orgId, userId: kit.people.ada }, token, kit.clock.now),
    ).toMatchObject({
      ok: true,
      subject: { kind: "approval", id },
    });
    // The token is Ada's: the same reply sent by someone else is refused.
    expect(
      checkReplyToken(kit.deps.keyring, { orgId: kit.orgId, userId: kit.people.bo }, token, kit.clock.now).ok,
    ).toBe(false);
  });

  test("a dry run says what it would do and writes nothing", () => {
    kit = agentsKit();
    const id = kit.addApproval("Buy valves", 50, kit.people.ada);
    expect(dryRunAgent(kit.deps, kit.orgId, approvalNudgerAgent, kit.clock.now)).toEqual([
      "would mark “Buy valves” medium (waiting 50 h) and e-mail Ada",
    ]);
    expect(nudges()).toHaveLength(0);
    expect(requestOf(id)?.urgency).toBeNull();
  });
});
