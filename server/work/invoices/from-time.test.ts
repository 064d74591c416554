import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, inArray } from "drizzle-orm";
import { timeEntries } from "../../../models/time.ts";
import { errorOf } from "../../auth/people/people-test-kit.ts";
import type { TestApp } from "../../testing/harness.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { minutesToHoursMilli } from "./from-time.ts";
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

let box: TestApp;
let scene: Scene;
let customerId = "";

beforeAll(async () => {
  box = await startInProcessApp();
  scene = await setUpScene(box);
  customerId = (await makeCustomer(scene.admin)).id;
});
afterAll(() => box.close());

const bill = (invoiceId: string, body: Record<string, unknown>) =>
  scene.admin("POST", `/api/v1/invoices/${invoiceId}/lines-from-time`, body);

test("minutes become hours with three decimals, rounded half away from zero", () => {
  expect(minutesToHoursMilli(90)).toBe(1500);
  expect(minutesToHoursMilli(20)).toBe(333); // 333.33…
  expect(minutesToHoursMilli(40)).toBe(667); // 666.66…
  expect(minutesToHoursMilli(1)).toBe(17); // 16.66…
});

describe("POST /api/v1/invoices/:id/lines-from-time", () => {
  test("one line per task and one for time without a task; entries in range, billable and unbilled only", async () => {
    const orgId = scene.acme.orgId;
    const userId = scene.acme.adminId;
    const { projectId, taskIds } = makeProject(box, orgId, "Website", ["Design", "Build"]);
    const [design, build] = taskIds;
    const billed = [
      logTime(box, { orgId, userId, projectId, taskId: design, date: "2026-04-01", minutes: 90 }),
      logTime(box, { orgId, userId, projectId, taskId: design, date: "2026-04-02", minutes: 20 }),
      logTime(box, { orgId, userId, projectId, taskId: build, date: "2026-04-03", minutes: 40 }),
      logTime(box, { orgId, userId, projectId, taskId: null, date: "2026-04-30", minutes: 60 }),
    ];
    const leftAlone = [
      logTime(box, { orgId, userId, projectId, taskId: design, date: "2026-03-31", minutes: 60 }),
      logTime(box, { orgId, userId, projectId, taskId: design, date: "2026-05-01", minutes: 60 }),
      logTime(box, { orgId, userId, projectId, taskId: design, date: "2026-04-10", minutes: 60, billable: false }),
    ];
    const invoice = await makeInvoice(scene.admin, customerId);
    const result = await json<InvoiceBody>(
      await bill(invoice.id, { projectId, from: "2026-04-01", to: "2026-04-30", unitPrice: 9000, taxRate: 2000 }),
      200,
    );
    expect(result.lines).toHaveLength(4);
    expect(result.lines[0]?.description).toBe("Consulting");
    const added = result.lines.slice(1).map(({ description, quantity, unitPrice, taxRate, amount }) => ({
      description,
      quantity,
      unitPrice,
      taxRate,
      amount,
    }));
    expect(added).toEqual([
      // 110 minutes = 1.833 h; 1.833 × 90.00 = 164.97
      {
        description: "Website: Design (2026-04-01 – 2026-04-30)",
        quantity: 1.833,
        unitPrice: 9000,
        taxRate: 2000,
        amount: 16497,
      },
      // 40 minutes = 0.667 h; × 90.00 = 60.03
      {
        description: "Website: Build (2026-04-01 – 2026-04-30)",
        quantity: 0.667,
        unitPrice: 9000,
        taxRate: 2000,
        amount: 6003,
      },
      { description: "Website (2026-04-01 – 2026-04-30)", quantity: 1, unitPrice: 9000, taxRate: 2000, amount: 9000 },
    ]);
    expect(result.subtotal).toBe(10000 + 16497 + 6003 + 9000);

    const rows = box.deps.db
      .select()
      .from(timeEntries)
      .where(inArray(timeEntries.id, [...billed, ...leftAlone]))
      .all();
    const lineOf = new Map(rows.map((row) => [row.id, row.invoiceLineId]));
    expect(billed.map((id) => lineOf.get(id))).toEqual([
      result.lines[1]?.id ?? "",
      result.lines[1]?.id ?? "",
      result.lines[2]?.id ?? "",
      result.lines[3]?.id ?? "",
    ]);
    expect(leftAlone.map((id) => lineOf.get(id))).toEqual([null, null, null]);
    expect(eventsOf(box, invoice.id, "invoice.updated").at(-1)?.data).toMatchObject({ projectId, timeEntries: 4 });

    // Billed once: the same range again has nothing left.
    const again = await bill(invoice.id, { projectId, from: "2026-04-01", to: "2026-04-30", unitPrice: 9000 });
    expect(again.status).toBe(422);
    expect((await errorOf(again)).details?.[0]?.path).toBe("projectId");
    const other = await makeInvoice(scene.admin, customerId);
    expect((await bill(other.id, { projectId, from: "2026-04-01", to: "2026-04-30", unitPrice: 9000 })).status).toBe(
      422,
    );
  });

  test("editing the lines keeps billed time on kept lines and releases it from removed ones", async () => {
    const orgId = scene.acme.orgId;
    const { projectId, taskIds } = makeProject(box, orgId, "Kept", ["A", "B"]);
    const a = logTime(box, {
      orgId,
      userId: scene.acme.adminId,
      projectId,
      taskId: taskIds[0],
      date: "2026-06-01",
      minutes: 60,
    });
    const b = logTime(box, {
      orgId,
      userId: scene.acme.adminId,
      projectId,
      taskId: taskIds[1],
      date: "2026-06-01",
      minutes: 60,
    });
    const invoice = await makeInvoice(scene.admin, customerId, { lines: [] });
    const billed = await json<InvoiceBody>(
      await bill(invoice.id, { projectId, from: "2026-06-01", to: "2026-06-01", unitPrice: 1000 }),
      200,
    );
    const keep = billed.lines[0];
    await json(
      await scene.admin("PATCH", `/api/v1/invoices/${invoice.id}`, {
        lines: [{ id: keep?.id, description: "Kept: A", quantity: 1, unitPrice: 1000 }],
      }),
      200,
    );
    const lineOf = (id: string) =>
      box.deps.db.select().from(timeEntries).where(eq(timeEntries.id, id)).get()?.invoiceLineId;
    expect([lineOf(a), lineOf(b)]).toEqual([keep?.id ?? "", null]);
  });

  test("422 for nothing to bill, another organisation's project, and a reversed range; 409 unless draft", async () => {
    const orgId = scene.acme.orgId;
    const { projectId } = makeProject(box, orgId, "Idle");
    const invoice = await makeInvoice(scene.admin, customerId);
    const empty = await bill(invoice.id, { projectId, from: "2026-01-01", to: "2026-12-31", unitPrice: 100 });
    expect([empty.status, (await errorOf(empty)).details?.[0]?.path]).toEqual([422, "projectId"]);
    const theirs = makeProject(box, scene.other.orgId, "Theirs");
    const foreign = await bill(invoice.id, {
      projectId: theirs.projectId,
      from: "2026-01-01",
      to: "2026-12-31",
      unitPrice: 100,
    });
    expect([foreign.status, (await errorOf(foreign)).details?.[0]?.path]).toEqual([422, "projectId"]);
    const reversed = await bill(invoice.id, { projectId, from: "2026-02-01", to: "2026-01-01", unitPrice: 100 });
    expect([reversed.status, (await errorOf(reversed)).details?.[0]?.path]).toEqual([422, "to"]);
    forceStatus(box, invoice.id, "approved");
    const late = await bill(invoice.id, { projectId, from: "2026-01-01", to: "2026-12-31", unitPrice: 100 });
    expect(late.status).toBe(409);
    const foreignInvoice = await scene.outsider("POST", `/api/v1/invoices/${invoice.id}/lines-from-time`, {
      projectId: theirs.projectId,
      from: "2026-01-01",
      to: "2026-12-31",
      unitPrice: 100,
    });
    expect(foreignInvoice.status).toBe(404);
  });
});
