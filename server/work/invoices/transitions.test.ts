import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { InvoiceStatus } from "../../../models/billing.ts";
import { mailAttachments, mailMessages } from "../../../models/mail.ts";
import { timeEntries } from "../../../models/time.ts";
import { errorOf, latestMail } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import {
  eventsOf,
  forceStatus,
  type InvoiceBody,
  json,
  logTime,
  makeCustomer,
  makeInvoice,
  makeProject,
  type Scene,
  setUpScene,
} from "./test-kit.ts";
import { legalTransitions, markOverdueInvoices } from "./transitions.ts";

let box: TestApp;
let scene: Scene;
let customer: { id: string; name: string };

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  customer = await makeCustomer(scene.admin, { name: "Umbrella Corp", email: "ap@umbrella.test" });
});
afterAll(() => box.close());

type Action = "submit" | "send" | "mark-paid" | "void";
const actionTarget: Record<Action, InvoiceStatus> = {
  submit: "pending_approval",
  send: "sent",
  "mark-paid": "paid",
  void: "void",
};
const statuses: InvoiceStatus[] = ["draft", "pending_approval", "approved", "sent", "paid", "overdue", "void"];

async function invoiceIn(status: InvoiceStatus): Promise<InvoiceBody> {
  const invoice = await makeInvoice(scene.admin, customer.id);
  if (status !== "draft") forceStatus(box, invoice.id, status);
  return invoice;
}

describe("every action from every status: legal ones move, the rest are 409 naming the status", () => {
  for (const action of Object.keys(actionTarget) as Action[]) {
    for (const from of statuses) {
      const to = actionTarget[action];
      const legal = legalTransitions[from].includes(to);
      test(`${action} from ${from}: ${legal ? `→ ${to}` : "409"}`, async () => {
        const invoice = await invoiceIn(from);
        const response = await scene.admin("POST", `/api/v1/invoices/${invoice.id}/${action}`);
        if (legal) {
          const body = await json<InvoiceBody>(response, 200);
          expect(body.status).toBe(to);
          const event = eventsOf(box, invoice.id, "invoice.status_changed").at(-1);
          expect(event?.data).toEqual({ number: invoice.number, from, to });
          expect(event?.permission).toBe("invoices.manage");
        } else {
          expect(response.status).toBe(409);
          const error = await errorOf(response);
          expect(error.code).toBe("conflict");
          expect(error.message).toContain(`"${from}"`);
          expect(error.details as unknown).toEqual([{ path: "status", message: from }]);
        }
      });
    }
  }
});

describe("the approval flow", () => {
  test("submit starts an approval request; the manager's approval makes the invoice approved", async () => {
    const invoice = await makeInvoice(scene.admin, customer.id);
    const submitted = await json<InvoiceBody>(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/submit`), 200);
    expect(submitted.status).toBe("pending_approval");
    expect(submitted.approvalRequestId).toStartWith("apr_");
    const request = await json<{ subjectType: string; subjectId: string; amount: number; currency: string }>(
      await scene.admin("GET", `/api/v1/approvals/${submitted.approvalRequestId}`),
      200,
    );
    expect(request).toMatchObject({ subjectType: "invoice", subjectId: invoice.id, amount: 12000, currency: "EUR" });
    await json(
      await scene.asRole.manager("POST", `/api/v1/approvals/${submitted.approvalRequestId}/decisions`, {
        decision: "approve",
      }),
      201,
    );
    const approved = await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${invoice.id}`), 200);
    expect(approved.status).toBe("approved");
    const changes = eventsOf(box, invoice.id, "invoice.status_changed").map((event) => event.data);
    expect(changes).toEqual([
      { number: invoice.number, from: "draft", to: "pending_approval" },
      { number: invoice.number, from: "pending_approval", to: "approved" },
    ]);
  });

  test("a rejection sends the invoice back to draft, where it can be edited and submitted again", async () => {
    const invoice = await makeInvoice(scene.admin, customer.id);
    const submitted = await json<InvoiceBody>(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/submit`), 200);
    await json(
      await scene.asRole.manager("POST", `/api/v1/approvals/${submitted.approvalRequestId}/decisions`, {
        decision: "reject",
        comment: "Wrong rate",
      }),
      201,
    );
    const back = await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${invoice.id}`), 200);
    expect(back.status).toBe("draft");
    await json(await scene.admin("PATCH", `/api/v1/invoices/${invoice.id}`, { notes: "Fixed the rate" }), 200);
    const again = await json<InvoiceBody>(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/submit`), 200);
    expect(again.approvalRequestId).not.toBe(submitted.approvalRequestId);
  });

  test("cancelling the request (by its requester) sends the invoice back to draft", async () => {
    const invoice = await makeInvoice(scene.admin, customer.id);
    const submitted = await json<InvoiceBody>(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/submit`), 200);
    await json(await scene.admin("POST", `/api/v1/approvals/${submitted.approvalRequestId}/cancel`), 200);
    expect((await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${invoice.id}`), 200)).status).toBe(
      "draft",
    );
  });

  test("an invoice without lines cannot be submitted (422 on lines)", async () => {
    const invoice = await makeInvoice(scene.admin, customer.id, { lines: [] });
    const response = await scene.admin("POST", `/api/v1/invoices/${invoice.id}/submit`);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("lines");
  });
});

describe("sending, overdue and voiding", () => {
  test("send writes the e-mail to the customer into the draft log and stamps sentAt", async () => {
    const invoice = await invoiceIn("approved");
    const sent = await json<InvoiceBody & { sentAt: string }>(
      await scene.admin("POST", `/api/v1/invoices/${invoice.id}/send`),
      200,
    );
    expect(sent.sentAt).toMatch(/^\d{4}-/);
    const mail = latestMail(box, "ap@umbrella.test");
    expect(mail).toMatchObject({ template: "invoice", status: "logged", orgId: scene.acme.orgId });
    expect(mail?.subject).toBe(`Invoice ${invoice.number} from Acme Ltd`);
    expect(mail?.textBody).toContain("€120.00");
  });

  test("send attaches the invoice PDF as a file of the data directory; a refused send writes no e-mail and no file", async () => {
    const filesNow = () => (existsSync(join(box.dataDir, "files")) ? readdirSync(join(box.dataDir, "files")) : []);
    const mailsNow = () => box.deps.db.select({ id: mailMessages.id }).from(mailMessages).all().length;
    const before = { files: filesNow().length, mails: mailsNow() };
    const draft = await invoiceIn("draft");
    expect((await scene.admin("POST", `/api/v1/invoices/${draft.id}/send`)).status).toBe(409);
    const approved = await invoiceIn("approved");
    expect((await scene.outsider("POST", `/api/v1/invoices/${approved.id}/send`)).status).toBe(404);
    expect((await scene.asRole.viewer("POST", `/api/v1/invoices/${approved.id}/send`)).status).toBe(403);
    expect({ files: filesNow().length, mails: mailsNow() }).toEqual(before);

    await json(await scene.admin("POST", `/api/v1/invoices/${approved.id}/send`), 200);
    const mail = latestMail(box, "ap@umbrella.test");
    const [attachment] = box.deps.db
      .select()
      .from(mailAttachments)
      .where(eq(mailAttachments.messageId, mail?.id ?? ""))
      .all();
    expect(attachment).toMatchObject({ fileName: `invoice-${approved.number}.pdf`, contentType: "application/pdf" });
    expect(filesNow()).toContain(attachment?.sha256 ?? "");
    expect(mail?.htmlBody).toContain(`invoice-${approved.number}.pdf`);
    expect(mail?.replyTo).toBe(scene.acme.adminEmail);
  });

  test("send without a customer e-mail is 422 and leaves the invoice approved", async () => {
    const silent = await makeCustomer(scene.admin, { email: null });
    const invoice = await makeInvoice(scene.admin, silent.id);
    forceStatus(box, invoice.id, "approved");
    const response = await scene.admin("POST", `/api/v1/invoices/${invoice.id}/send`);
    expect(response.status).toBe(422);
    expect((await errorOf(response)).details?.[0]?.path).toBe("customerId");
    expect((await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${invoice.id}`), 200)).status).toBe(
      "approved",
    );
  });

  test("markOverdueInvoices flips sent invoices past their due date, with events by the box, and nothing else", async () => {
    const late = await makeInvoice(scene.admin, customer.id, { issueDate: "2026-01-01", dueDate: "2026-01-31" });
    const dueToday = await makeInvoice(scene.admin, customer.id, { issueDate: "2026-01-01", dueDate: "2026-02-01" });
    const approvedLate = await makeInvoice(scene.admin, customer.id, {
      issueDate: "2026-01-01",
      dueDate: "2026-01-15",
    });
    forceStatus(box, late.id, "sent");
    forceStatus(box, dueToday.id, "sent");
    forceStatus(box, approvedLate.id, "approved");
    const changed = markOverdueInvoices(box.deps.db, new Date("2026-02-01T12:00:00Z"));
    expect(changed).toBeGreaterThanOrEqual(1);
    const status = async (id: string) =>
      (await json<InvoiceBody>(await scene.admin("GET", `/api/v1/invoices/${id}`), 200)).status;
    expect([await status(late.id), await status(dueToday.id), await status(approvedLate.id)]).toEqual([
      "overdue",
      "sent",
      "approved",
    ]);
    const event = eventsOf(box, late.id, "invoice.status_changed").at(-1);
    expect(event).toMatchObject({ actorId: null, data: { number: late.number, from: "sent", to: "overdue" } });
    expect(markOverdueInvoices(box.deps.db, new Date("2026-02-01T12:00:00Z"))).toBe(0);
  });

  test("voiding releases the invoice's billed time so it can be billed again", async () => {
    const { projectId } = makeProject(box, scene.acme.orgId, "Void Project");
    const entry = logTime(box, {
      orgId: scene.acme.orgId,
      userId: scene.acme.adminId,
      projectId,
      date: "2026-03-02",
      minutes: 60,
    });
    const invoice = await makeInvoice(scene.admin, customer.id, { lines: [] });
    await json(
      await scene.admin("POST", `/api/v1/invoices/${invoice.id}/lines-from-time`, {
        projectId,
        from: "2026-03-01",
        to: "2026-03-31",
        unitPrice: 9000,
      }),
      200,
    );
    const billed = () => box.deps.db.select().from(timeEntries).where(eq(timeEntries.id, entry)).get()?.invoiceLineId;
    expect(billed()).toStartWith("inl_");
    await json(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/void`), 200);
    expect(billed()).toBeNull();
  });
});
