import { afterEach, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { approvalPipelines, approvalRequests } from "../../models/approvals.ts";
import { auditEvents } from "../../models/audit.ts";
import { bills, documentInboxReads } from "../../models/bills.ts";
import { documents } from "../../models/knowledge.ts";
import { notifications } from "../../models/notifications.ts";
import { readingConfidence } from "../knowledge/invoice-reading/confidence.ts";
import type { InvoiceExtraction } from "../knowledge/invoice-reading/schemas.ts";
import { insertDocument } from "../knowledge/search/search-test-kit.ts";
import { runNotifier } from "../notifications/notifier.ts";
import { newId } from "../tools/ids.ts";
import { replaceSteps } from "../work/approvals/pipeline-steps.ts";
import { createBill } from "../work/bills/bill-writes.ts";
import type { AgentAi } from "./definition.ts";
import { documentInboxAgent } from "./document-inbox.ts";
import { billInputFromReading, routeBill, taxRateOf } from "./document-inbox-bill.ts";
import { agentContext, dryRunAgent } from "./run.ts";
import { type AgentsKit, agentsKit } from "./test-kit.ts";

let kit: AgentsKit;

/** A runtime for the dry run that must never be asked to generate. */
const unusedAi: AgentAi = {
  chatModel: () => null,
  countTokens: () => 0,
  loadTokenizer: async () => {},
  generateJson: async () => {
    throw new Error("a dry run must not read with the model");
  },
};
afterEach(() => kit?.close());

/** What the model reads out of a well-printed invoice: every field, and the amounts add up. */
export const wellRead: InvoiceExtraction = {
  vendor: { name: "Boiler Service GmbH" },
  customer: { name: "Acme Ltd" },
  number: "2026-117",
  issueDate: "2026-03-02",
  dueDate: "2026-04-01",
  currency: "EUR",
  totals: { subtotal: 23100, tax: 4389, total: 27489 },
  lines: [
    { description: "Annual boiler service", quantity: 1, unitPrice: 18000, amount: 18000 },
    { description: "Replacement valve", quantity: 2, unitPrice: 2550, amount: 5100 },
  ],
};

function addDocument(fileName: string, text: string, indexedAt = kit.clock.now): string {
  const { documentId } = insertDocument(kit.db, kit.orgId, { title: fileName, chunks: [{ text }] });
  kit.db.update(documents).set({ fileName, indexedAt }).where(eq(documents.id, documentId)).run();
  return documentId;
}

function addBillPipeline() {
  const id = newId("apl");
  kit.db.insert(approvalPipelines).values({ id, orgId: kit.orgId, name: "Bills", subjectType: "bill" }).run();
  replaceSteps(kit.db, { id, orgId: kit.orgId }, [
    { name: "Admin", approverType: "user", approverUserId: kit.people.admin, approverRole: null, rule: "any" },
  ]);
}

async function runOnce() {
  const scheduler = kit.scheduler();
  scheduler.runNow("document-parser", kit.orgId);
  scheduler.tick();
  await scheduler.idle();
  return kit.runs().at(-1);
}

describe("the reading's confidence", () => {
  test("is 1 only when every field is read and the amounts add up", () => {
    expect(readingConfidence(wellRead)).toEqual({ confidence: 1, notes: [] });
  });

  test("each missing field or sum that does not add up lowers it by one check in eight, and says why", () => {
    const read = readingConfidence({
      ...wellRead,
      dueDate: null,
      totals: { subtotal: 23100, tax: 4389, total: 27500 },
      lines: [{ description: "Service", quantity: 1, unitPrice: 18000, amount: null }],
    });
    expect(read.confidence).toBe(5 / 8);
    expect(read.notes).toEqual([
      "No due date was read.",
      "The lines add up to €180.00, not €231.00.",
      "The subtotal €231.00 and tax €43.89 do not make the total €275.00.",
    ]);
  });
});

describe("a drafted bill's route", () => {
  test("the bill takes one tax rate from the printed tax and keeps the printed totals", () => {
    expect(taxRateOf(wellRead)).toBe(1900);
    kit = agentsKit();
    const ctx = agentContext(kit.deps, kit.orgId, documentInboxAgent);
    const documentId = addDocument("acme-bill.pdf", "INVOICE … Total");
    const view = createBill(ctx, billInputFromReading(wellRead, { id: documentId, title: "acme-bill.pdf" }, "USD"));
    expect(view.bill).toMatchObject({ subtotal: 23100, tax: 4389, total: 27489, currency: "EUR", createdBy: null });
    expect(view.bill.createdByAgent).toBe("document-parser");
  });

  test("at or above the threshold with a pipeline for bills, it goes into approval as the agent", () => {
    kit = agentsKit();
    addBillPipeline();
    const ctx = agentContext(kit.deps, kit.orgId, documentInboxAgent);
    const view = createBill(ctx, billInputFromReading(wellRead, { id: "doc_x", title: "x" }, "EUR"));
    const routed = routeBill(ctx, view, { confidence: 0.9, notes: [] }, 0.9, kit.clock.now);
    expect(routed.to).toBe("approval");
    const [request] = kit.db.select().from(approvalRequests).all();
    expect(request).toMatchObject({ subjectType: "bill", subjectId: view.bill.id, requestedBy: null });
    expect(kit.db.select().from(bills).get()?.status).toBe("pending_approval");
    const audit = kit.db.select().from(auditEvents).where(eq(auditEvents.targetId, view.bill.id)).all();
    expect(audit.every((row) => row.actorAgentId === "document-parser" && row.actorUserId === null)).toBe(true);
  });

  test("below the threshold, or without a pipeline, it waits and the people who manage bills are told", () => {
    kit = agentsKit();
    addBillPipeline();
    const ctx = agentContext(kit.deps, kit.orgId, documentInboxAgent);
    runNotifier(kit.db, kit.clock.now);
    const view = createBill(ctx, billInputFromReading(wellRead, { id: "doc_y", title: "y" }, "EUR"));
    const routed = routeBill(ctx, view, { confidence: 0.875, notes: [] }, 0.9, kit.clock.now);
    expect(routed).toEqual({
      to: "review",
      reason: "read with 88 % confidence, below the 90 % needed to send it for approval",
    });
    expect(kit.db.select().from(bills).get()?.status).toBe("draft");
    runNotifier(kit.db, kit.clock.now);
    const told = kit.db.select().from(notifications).all();
    // Only the admin manages bills among Ada (member), Bo (team lead) and the admin.
    expect(told.map((row) => [row.userId, row.kind, row.link])).toEqual([
      [kit.people.admin, "agents", `/bills/${view.bill.id}`],
    ]);
    expect(told[0]?.title).toStartWith("Document inbox: “Bill 2026-117 from Boiler Service GmbH” waits for review");

    kit.db.delete(approvalPipelines).run();
    const sure = createBill(ctx, { ...billInputFromReading(wellRead, { id: "d", title: "d" }, "EUR"), number: "2" });
    expect(routeBill(ctx, sure, { confidence: 1, notes: [] }, 0.9, kit.clock.now).to).toBe("review");
  });
});

describe("the document inbox agent", () => {
  test("without a chat model the run succeeds, says so, and leaves the bill to be read later", async () => {
    kit = agentsKit();
    addDocument("acme-bill.pdf", "INVOICE No. 7. Total due EUR 274.89");
    addDocument("boiler-manual.pdf", "Check the boiler pressure every month.");
    const run = await runOnce();
    expect(run?.status).toBe("succeeded");
    expect(run?.resultText).toContain("no chat model is installed");
    expect(run?.resultText).toContain("passed over 1 document(s)");
    const reads = kit.db.select().from(documentInboxReads).all();
    expect(reads.map((row) => row.outcome)).toEqual(["not_a_bill"]);
    // The bill is still waiting: the next run tells the same, the manual is not looked at again.
    kit.clock.advance(5 * 60_000);
    const again = await runOnce();
    expect(again?.resultText).not.toContain("passed over");
    expect(kit.db.select().from(documentInboxReads).all()).toHaveLength(1);
  });

  test("an e-mail with attachments is passed over for its attachments, so one bill is made, not two", async () => {
    kit = agentsKit();
    const mail = addDocument("invoice-7.eml", "Please find attached invoice 7. Total due EUR 274.89.");
    const pdf = addDocument("invoice-7.pdf", "INVOICE No. 7. Total due EUR 274.89");
    kit.db.update(documents).set({ kind: "email" }).where(eq(documents.id, mail)).run();
    kit.db.update(documents).set({ parentId: mail }).where(eq(documents.id, pdf)).run();
    const noModel = { ...kit.deps, ai: { ...unusedAi, chatModel: () => null } };
    expect(dryRunAgent(noModel, kit.orgId, documentInboxAgent, kit.clock.now)).toEqual([
      "would read “invoice-7.pdf” as a bill",
      "would pass over 1 document(s) that do not look like bills",
      "No chat model is installed: bills wait until an admin installs one in Settings → AI.",
    ]);
  });

  test("the dry run lists what it would read as a bill", () => {
    kit = agentsKit();
    addDocument("acme-bill.pdf", "INVOICE No. 7. Total due EUR 274.89");
    addDocument("old-bill.pdf", "INVOICE No. 1. Total due", new Date(kit.clock.now.getTime() - 30 * 86_400_000));
    const noModel = { ...kit.deps, ai: { ...unusedAi, chatModel: () => null } };
    expect(dryRunAgent(noModel, kit.orgId, documentInboxAgent, kit.clock.now)).toEqual([
      "would read “acme-bill.pdf” as a bill",
      "No chat model is installed: bills wait until an admin installs one in Settings → AI.",
    ]);
    expect(kit.db.select().from(documentInboxReads).all()).toEqual([]);
  });
});
