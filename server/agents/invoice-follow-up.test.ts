import { afterEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { agentNotices } from "../../models/agents.ts";
import { auditEvents } from "../../models/audit.ts";
import { customers, invoiceHistory, invoiceLines, invoices } from "../../models/billing.ts";
import { domainEvents } from "../../models/events.ts";
import { mailAttachments, mailMessages } from "../../models/mail.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import { addDays, todayUtc } from "../tools/days.ts";
import { newId } from "../tools/ids.ts";
import { listInvoiceHistory } from "../work/invoices/history.ts";
import { invoiceFollowUpAgent, invoiceFollowUpSettings } from "./invoice-follow-up.ts";
import { agentContext, dryRunAgent } from "./run.ts";
import { SETTINGS_KEY } from "./settings.ts";
import { type AgentsKit, agentsKit } from "./test-kit.ts";

const DAY = 24 * 3_600_000;
let kit: AgentsKit;
afterEach(() => kit?.close());

/** An invoice of `orgId` due `daysAgo` days before the kit's today, with one line, for a new customer. */
function addInvoice(input: {
  number: string;
  customer: string;
  email: string | null;
  daysAgo: number;
  status?: "sent" | "overdue" | "paid" | "draft";
  orgId?: string;
}): string {
  const orgId = input.orgId ?? kit.orgId;
  const customerId = newId("cus");
  kit.db
    .insert(customers)
    .values({ id: customerId, orgId, name: input.customer, email: input.email, currency: "EUR" })
    .run();
  const id = newId("inv");
  const dueDate = addDays(todayUtc(kit.clock.now), -input.daysAgo);
  kit.db
    .insert(invoices)
    .values({
      id,
      orgId,
      number: input.number,
      customerId,
      currency: "EUR",
      issueDate: addDays(dueDate, -30),
      dueDate,
      status: input.status ?? "overdue",
      subtotal: 10_000,
      total: 10_000,
      createdBy: orgId === kit.orgId ? kit.people.admin : null,
    })
    .run();
  kit.db
    .insert(invoiceLines)
    .values({
      id: newId("inl"),
      orgId,
      invoiceId: id,
      position: 0,
      description: "Valve service",
      quantityMilli: 1000,
      unitPrice: 10_000,
      amount: 10_000,
      tax: 0,
    })
    .run();
  return id;
}

async function runOnce(scheduler = kit.scheduler()) {
  scheduler.runNow("invoice-follow-up", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
}
const reminders = () =>
  kit.db
    .select()
    .from(mailMessages)
    .where(eq(mailMessages.template, "invoice_reminder"))
    .orderBy(mailMessages.id)
    .all();

describe("the invoice follow-up agent", () => {
  test("reminds at 7, 14 and 30 days past due, once per level, and the memory survives a restart", async () => {
    kit = agentsKit();
    const id = addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 6 });
    await runOnce();
    expect(reminders()).toHaveLength(0);
    expect(kit.runs()[0]?.resultText).toBe("No invoice is due a reminder.");
    kit.clock.advance(DAY);
    await runOnce(kit.scheduler());
    kit.clock.advance(3_600_000);
    await runOnce(kit.scheduler()); // a restart an hour later: the notice is in the database
    expect(reminders().map((mail) => mail.subject)).toEqual([
      "Reminder: invoice INV-0042 from org_a is 7 days overdue",
    ]);
    for (const days of [7, 9, 7]) {
      kit.clock.advance(days * DAY); // 14, 23 and 30 days past due
      await runOnce(kit.scheduler());
    }
    kit.clock.advance(20 * DAY);
    await runOnce(kit.scheduler());
    const mails = reminders();
    expect(mails.map((mail) => [mail.toAddress, mail.subject.replace(/.* is /, "")])).toEqual([
      ["billing@globex.test", "7 days overdue"],
      ["billing@globex.test", "14 days overdue"],
      ["billing@globex.test", "30 days overdue"],
    ]);
    expect(mails.every((mail) => mail.replyTo === "admin@org_a.test" && mail.kind === "essential")).toBe(true);
    const notice = kit.db.select().from(agentNotices).where(eq(agentNotices.subjectId, id)).get();
    expect(notice).toMatchObject({ agentId: "invoice-follow-up", recipient: "customer", level: "30" });
  });

  test("the reminder carries the invoice PDF, stored for the outbox", async () => {
    kit = agentsKit();
    addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 8 });
    await runOnce();
    const [mail] = reminders();
    expect(mail?.textBody).toContain("Our records show that invoice INV-0042");
    const files = kit.db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.messageId, mail?.id ?? ""))
      .all();
    expect(files.map((file) => [file.fileName, file.contentType])).toEqual([
      ["invoice-INV-0042.pdf", "application/pdf"],
    ]);
    const path = join(kit.deps.dataDir, "files", files[0]?.sha256 ?? "none");
    expect(existsSync(path)).toBe(true);
    expect(new TextDecoder().decode((await Bun.file(path).bytes()).slice(0, 5))).toBe("%PDF-");
  });

  test("the history, the audit log and the feed name the agent, not a person", async () => {
    kit = agentsKit();
    const id = addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 15 });
    await runOnce();
    expect(listInvoiceHistory(kit.db, kit.orgId, id)).toEqual([
      {
        text: "Reminder sent to billing@globex.test (15 days overdue)",
        by: "Invoice follow-up",
        at: kit.clock.now,
      },
    ]);
    const audit = kit.db.select().from(auditEvents).where(eq(auditEvents.action, "invoice.reminded")).all();
    expect(audit.map((row) => [row.targetId, row.actorUserId, row.actorAgentId])).toEqual([
      [id, null, "invoice-follow-up"],
    ]);
    const [event] = kit.db.select().from(domainEvents).where(eq(domainEvents.type, "invoice.reminded")).all();
    expect(event).toMatchObject({
      actorId: null,
      permission: "invoices.manage",
      summary: "Invoice follow-up reminded Globex of invoice INV-0042 (15 days overdue)",
    });
  });

  test("a box that was off catches up with the highest level due only", async () => {
    kit = agentsKit();
    addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 35 });
    await runOnce();
    await runOnce(kit.scheduler());
    expect(reminders().map((mail) => mail.subject)).toEqual([
      "Reminder: invoice INV-0042 from org_a is 35 days overdue",
    ]);
  });

  test("a paid invoice is never chased again; a sent one past its due date is, before it is marked overdue", async () => {
    kit = agentsKit();
    const paid = addInvoice({ number: "INV-0001", customer: "Globex", email: "billing@globex.test", daysAgo: 7 });
    addInvoice({ number: "INV-0002", customer: "Initech", email: "ap@initech.test", daysAgo: 7, status: "sent" });
    addInvoice({ number: "INV-0003", customer: "Draftco", email: "ap@draftco.test", daysAgo: 40, status: "draft" });
    await runOnce();
    // Messages written in the same (test clock) millisecond have no order of their own: sorted.
    const addresses = () =>
      reminders()
        .map((mail) => mail.toAddress)
        .sort();
    expect(addresses()).toEqual(["ap@initech.test", "billing@globex.test"]);
    kit.db.update(invoices).set({ status: "paid" }).where(eq(invoices.id, paid)).run();
    kit.clock.advance(7 * DAY);
    await runOnce(kit.scheduler());
    expect(addresses()).toEqual(["ap@initech.test", "ap@initech.test", "billing@globex.test"]);
  });

  test("a customer without an e-mail address gets nothing, and the run's log says so", async () => {
    kit = agentsKit();
    addInvoice({ number: "INV-0007", customer: "Nomail Ltd", email: null, daysAgo: 10 });
    await runOnce();
    expect(reminders()).toHaveLength(0);
    const [run] = kit.runs();
    expect(run?.log.join("\n")).toContain("INV-0007: Nomail Ltd has no e-mail address, so no reminder was sent.");
    expect(run?.resultText).toBe("Sent 0 reminder(s) of overdue invoices; 1 customer(s) have no e-mail address.");
  });

  test("another organisation's invoices are never touched", async () => {
    kit = agentsKit();
    const theirs = addInvoice({
      number: "B-0001",
      customer: "Their customer",
      email: "them@b.test",
      daysAgo: 20,
      orgId: "org_b",
    });
    await runOnce();
    expect(reminders()).toHaveLength(0);
    expect(kit.db.select().from(invoiceHistory).where(eq(invoiceHistory.invoiceId, theirs)).all()).toHaveLength(0);
    expect(dryRunAgent(kit.deps, kit.orgId, invoiceFollowUpAgent, kit.clock.now)).toEqual([]);
  });

  test("a run that is cancelled between reminders stops there; the next run sends the rest", async () => {
    kit = agentsKit();
    addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 14 });
    addInvoice({ number: "INV-0043", customer: "Initech", email: "ap@initech.test", daysAgo: 14 });
    const stop = new AbortController();
    const lines: string[] = [];
    const work = {
      ctx: agentContext(kit.deps, kit.orgId, invoiceFollowUpAgent),
      settings: invoiceFollowUpSettings.parse({}),
      now: kit.clock.now,
      baseUrl: kit.deps.baseUrl,
      dataDir: kit.deps.dataDir,
      ai: null,
      signal: stop.signal,
      log: (line: string) => {
        lines.push(line);
        if (line.startsWith("Reminded")) stop.abort(); // cancelled while the first reminder was being sent
      },
    };
    await invoiceFollowUpAgent.apply(work, invoiceFollowUpAgent.plan(work));
    expect(reminders()).toHaveLength(1);
    expect(lines.at(-1)).toBe("Stopped before the remaining 1 reminder(s); the next run sends them.");
    await runOnce();
    expect(reminders()).toHaveLength(2);
  });

  test("a dry run lists what it would do and writes nothing", () => {
    kit = agentsKit();
    addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 14 });
    addInvoice({ number: "INV-0043", customer: "Initech", email: null, daysAgo: 8 });
    expect(dryRunAgent(kit.deps, kit.orgId, invoiceFollowUpAgent, kit.clock.now)).toEqual([
      "would remind Globex about INV-0042 (14 days overdue)",
      "would skip INV-0043: Initech has no e-mail address",
    ]);
    expect(kit.db.select().from(mailMessages).all()).toHaveLength(0);
    expect(kit.db.select().from(agentNotices).all()).toHaveLength(0);
    expect(kit.db.select().from(invoiceHistory).all()).toHaveLength(0);
    expect(kit.db.select().from(domainEvents).all()).toHaveLength(0);
    expect(kit.runs()).toHaveLength(0);
  });

  test("the levels are the organisation's setting: ascending positive numbers of days", async () => {
    for (const refused of ["14, 7", "0, 7", "7, 7", "seven", ""]) {
      expect(invoiceFollowUpSettings.safeParse({ days: refused }).success).toBe(false);
    }
    expect(invoiceFollowUpSettings.parse({})).toEqual({ days: "7, 14, 30" });
    kit = agentsKit();
    writeOrganizationSetting(kit.db, kit.orgId, SETTINGS_KEY, { "invoice-follow-up": { days: "3,10" } }, kit.clock.now);
    addInvoice({ number: "INV-0042", customer: "Globex", email: "billing@globex.test", daysAgo: 3 });
    await runOnce();
    expect(reminders().map((mail) => mail.subject)).toEqual([
      "Reminder: invoice INV-0042 from org_a is 3 days overdue",
    ]);
    expect(
      kit.db
        .select()
        .from(agentNotices)
        .where(and(eq(agentNotices.agentId, "invoice-follow-up"), eq(agentNotices.level, "3")))
        .all(),
    ).toHaveLength(1);
  });
});
