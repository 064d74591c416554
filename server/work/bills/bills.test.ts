import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { auditEvents } from "../../../models/audit.ts";
import { errorOf, postForm } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { sessionCookie } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { json, type Scene, setUpScene } from "../invoices/test-kit.ts";

type BillBody = {
  id: string;
  status: string;
  supplierName: string;
  subtotal: number;
  tax: number;
  total: number;
  approvalRequestId: string | null;
  createdBy: string | null;
  lines: { amount: number; tax: number }[];
};

let box: TestApp;
let scene: Scene;

const boilerBill = {
  supplierName: "Boiler Service GmbH",
  number: "2026-117",
  issueDate: "2026-03-02",
  dueDate: "2026-04-01",
  currency: "EUR",
  lines: [
    { description: "Annual boiler service", quantity: 1, unitPrice: 18000, taxRate: 1900 },
    { description: "Replacement valve", quantity: 2, unitPrice: 2550, taxRate: 1900 },
  ],
};

async function makeBill(body: Record<string, unknown> = boilerBill) {
  return json<BillBody>(await scene.admin("POST", "/api/v1/bills", body), 201);
}

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  await json(
    await scene.admin("POST", "/api/v1/approval-pipelines", {
      name: "Supplier bills",
      subjectType: "bill",
      steps: [{ name: "Manager", approverType: "role", approverRole: "manager" }],
    }),
    201,
  );
});
afterAll(() => box.close());

describe("the bills API", () => {
  test("creates a draft with exact totals, as the person, in the audit log", async () => {
    const bill = await makeBill();
    expect(bill).toMatchObject({ status: "draft", subtotal: 23100, tax: 4389, total: 27489 });
    expect(bill.createdBy).toBe(scene.acme.adminId);
    const audit = box.deps.db.select().from(auditEvents).all();
    expect(audit.some((row) => row.action === "bill.created" && row.targetId === bill.id)).toBe(true);
    const list = await json<{ data: BillBody[] }>(await scene.admin("GET", "/api/v1/bills?status=draft"), 200);
    expect(list.data.map((row) => row.id)).toContain(bill.id);
  });

  test("needs bills.manage: a team lead and a viewer get 403", async () => {
    expect((await scene.asRole.team_lead("GET", "/api/v1/bills")).status).toBe(403);
    expect((await scene.asRole.viewer("POST", "/api/v1/bills", boilerBill)).status).toBe(403);
    expect((await scene.asRole.manager("GET", "/api/v1/bills")).status).toBe(200);
  });

  test("another organisation's bill is a 404 to read, edit and submit, and absent from its list", async () => {
    const bill = await makeBill();
    expect((await scene.outsider("GET", `/api/v1/bills/${bill.id}`)).status).toBe(404);
    expect((await scene.outsider("PATCH", `/api/v1/bills/${bill.id}`, { notes: "x" })).status).toBe(404);
    expect((await scene.outsider("POST", `/api/v1/bills/${bill.id}/submit`)).status).toBe(404);
    expect((await scene.outsider("POST", `/api/v1/bills/${bill.id}/mark-paid`)).status).toBe(404);
    const theirs = await json<{ data: BillBody[] }>(await scene.outsider("GET", "/api/v1/bills"), 200);
    expect(theirs.data).toEqual([]);
  });

  test("a due date before the issue date is a 422 on dueDate; an unknown currency on currency", async () => {
    const dates = await scene.admin("POST", "/api/v1/bills", { ...boilerBill, dueDate: "2026-01-01" });
    expect(dates.status).toBe(422);
    expect((await errorOf(dates)).details?.[0]?.path).toBe("dueDate");
    const currency = await scene.admin("POST", "/api/v1/bills", { ...boilerBill, currency: "XXY" });
    expect((await errorOf(currency)).details?.[0]?.path).toBe("currency");
  });

  test("edits a draft (lines replaced); a stale If-Match is a 412", async () => {
    const bill = await makeBill();
    const edited = await json<BillBody>(
      await scene.admin("PATCH", `/api/v1/bills/${bill.id}`, {
        lines: [{ description: "Service", quantity: 1, unitPrice: 10000, taxRate: 0 }],
      }),
      200,
    );
    expect(edited).toMatchObject({ subtotal: 10000, tax: 0, total: 10000 });
    const stale = await scene.admin("PATCH", `/api/v1/bills/${bill.id}`, { notes: "x" }, { "If-Match": '"old"' });
    expect(stale.status).toBe(412);
  });
});

describe("a bill's approval", () => {
  test("sending for approval starts a request for bills; the manager's approval settles the bill approved", async () => {
    const bill = await makeBill();
    const sent = await json<BillBody>(await scene.admin("POST", `/api/v1/bills/${bill.id}/submit`), 200);
    expect(sent.status).toBe("pending_approval");
    const request = await json<{ subjectType: string; subjectId: string; amount: number }>(
      await scene.admin("GET", `/api/v1/approvals/${sent.approvalRequestId}`),
      200,
    );
    expect(request).toMatchObject({ subjectType: "bill", subjectId: bill.id, amount: 27489 });
    const edit = await scene.admin("PATCH", `/api/v1/bills/${bill.id}`, { notes: "late" });
    expect(edit.status).toBe(409);
    await json(
      await scene.asRole.manager("POST", `/api/v1/approvals/${sent.approvalRequestId}/decisions`, {
        decision: "approve",
      }),
      201,
    );
    const approved = await json<BillBody>(await scene.admin("GET", `/api/v1/bills/${bill.id}`), 200);
    expect(approved.status).toBe("approved");
    const paid = await json<BillBody>(await scene.admin("POST", `/api/v1/bills/${bill.id}/mark-paid`), 200);
    expect(paid.status).toBe("paid");
  });

  test("the request's page links to the bill; cancelling the request sends the bill back to draft", async () => {
    const bill = await makeBill();
    const sent = await json<BillBody>(await scene.admin("POST", `/api/v1/bills/${bill.id}/submit`), 200);
    const cookie = sessionCookie(box, scene.acme.adminId, scene.acme.orgId);
    const page = await (
      await box.fetch(`/approvals/${sent.approvalRequestId}`, { headers: { Cookie: cookie } })
    ).text();
    expect(page).toContain(`href="/bills/${bill.id}"`);
    await json(await scene.admin("POST", `/api/v1/approvals/${sent.approvalRequestId}/cancel`), 200);
    expect((await json<BillBody>(await scene.admin("GET", `/api/v1/bills/${bill.id}`), 200)).status).toBe("draft");
  });

  test("a team lead cannot see a bill's approval request unless a step names them", async () => {
    const bill = await makeBill();
    const sent = await json<BillBody>(await scene.admin("POST", `/api/v1/bills/${bill.id}/submit`), 200);
    expect((await scene.asRole.team_lead("GET", `/api/v1/approvals/${sent.approvalRequestId}`)).status).toBe(404);
  });

  test("a rejection settles the bill rejected", async () => {
    const bill = await makeBill();
    const sent = await json<BillBody>(await scene.admin("POST", `/api/v1/bills/${bill.id}/submit`), 200);
    await json(
      await scene.asRole.manager("POST", `/api/v1/approvals/${sent.approvalRequestId}/decisions`, {
        decision: "reject",
        comment: "Not ours",
      }),
      201,
    );
    expect((await json<BillBody>(await scene.admin("GET", `/api/v1/bills/${bill.id}`), 200)).status).toBe("rejected");
  });
});

test("the OpenAPI document lists the bills routes with their permission", async () => {
  const doc = (await (await box.fetch("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, { "x-required-permission"?: string }>>;
  };
  expect(doc.paths["/api/v1/bills"]?.post?.["x-required-permission"]).toBe("bills.manage");
  expect(doc.paths["/api/v1/bills/{id}/submit"]?.post?.["x-required-permission"]).toBe("bills.manage");
});

describe("bills in the console", () => {
  const line = (index: number, description: string, quantity: string, unitPrice: string, taxRate: string) => ({
    [`lines.${index}.description`]: description,
    [`lines.${index}.quantity`]: quantity,
    [`lines.${index}.unitPrice`]: unitPrice,
    [`lines.${index}.taxRate`]: taxRate,
  });

  test("a refused bill (422) comes back with every typed value and the field errors; a valid one is saved", async () => {
    const cookie = sessionCookie(box, scene.acme.adminId, scene.acme.orgId);
    const refused = await postForm(box, cookie, "/bills", {
      supplierName: "Boiler Service GmbH",
      number: "B-1",
      issueDate: "2026-03-02",
      dueDate: "2026-03-01",
      currency: "EUR",
      notes: "Keep me",
      ...line(0, "Annual service", "1", "18o.00", "19"),
    });
    expect(refused.status).toBe(422);
    const body = await refused.text();
    for (const kept of [
      'value="Boiler Service GmbH"',
      'value="B-1"',
      'value="18o.00"',
      'value="2026-03-01"',
      "Keep me",
    ]) {
      expect(body).toContain(kept);
    }
    expect(body).toContain("Enter a price in EUR");
    const saved = await postForm(box, cookie, "/bills", {
      supplierName: "Boiler Service GmbH",
      currency: "EUR",
      ...line(0, "Annual service", "1", "180.00", "19"),
    });
    expect(saved.status).toBe(200);
    const location = saved.headers.get("HX-Redirect") ?? "";
    expect(location).toStartWith("/bills/bil_");
    const page = await (await box.fetch(location, { headers: { Cookie: cookie } })).text();
    expect(page).toContain("Send for approval");
    expect(page).toContain("€214.20");
  });

  test("a team lead gets 403 on /bills; another organisation's bill page is a 404", async () => {
    const bill = await makeBill();
    const lead = sessionCookie(box, scene.userIds.team_lead, scene.acme.orgId);
    expect((await box.fetch("/bills", { headers: { Cookie: lead } })).status).toBe(403);
    const outsider = sessionCookie(box, scene.other.adminId, scene.other.orgId);
    expect((await box.fetch(`/bills/${bill.id}`, { headers: { Cookie: outsider } })).status).toBe(404);
    expect((await box.fetch(`/bills/${bill.id}/edit`, { headers: { Cookie: outsider } })).status).toBe(404);
    for (const action of ["edit", "submit", "mark-paid"]) {
      const response = await postForm(box, outsider, `/bills/${bill.id}/${action}`, { supplierName: "Mine now" });
      expect([action, response.status]).toEqual([action, 404]);
    }
    const stored = await json<BillBody>(await scene.admin("GET", `/api/v1/bills/${bill.id}`), 200);
    expect([stored.status, stored.supplierName === "Mine now"]).toEqual(["draft", false]);
  });
});
