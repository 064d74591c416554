import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { invoices } from "../../../models/billing.ts";
import { Lifecycle } from "../../lifecycle.ts";
import { makeTempDir, type TestApp } from "../../testing/harness.ts";
import { setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { insertInvoice } from "../pulse/pulse-test-kit.ts";
import { OVERDUE_INVOICES_JOB, startOverdueInvoices } from "./overdue-job.ts";

const dataDir = makeTempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function statusOf(box: TestApp, id: string) {
  return box.deps.db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, id)).get()?.status;
}

describe("the overdue invoices job", () => {
  test("the server runs it at start: a sent invoice past its due date is overdue, others are not", async () => {
    let box = await startInProcessApp({ dataDir });
    const { orgId } = await setUpBox(box);
    const late = insertInvoice(box, orgId, { number: "INV-0001", status: "sent", dueDate: "2020-02-01" });
    const future = insertInvoice(box, orgId, { number: "INV-0002", status: "sent", dueDate: "2999-01-01" });
    const draft = insertInvoice(box, orgId, { number: "INV-0003", status: "draft", dueDate: "2020-02-01" });
    await box.close();

    box = await startInProcessApp({ dataDir });
    try {
      expect(statusOf(box, late)).toBe("overdue");
      expect(statusOf(box, future)).toBe("sent");
      expect(statusOf(box, draft)).toBe("draft");
      expect(box.logs.some((line) => line.job === OVERDUE_INVOICES_JOB && line.changed === 1)).toBe(true);
    } finally {
      await box.close();
    }
  });

  test("runs again on its interval until the process stops", async () => {
    const box = await startInProcessApp();
    const lifecycle = new Lifecycle(box.deps.log);
    try {
      const { orgId } = await setUpBox(box);
      startOverdueInvoices({ db: box.deps.db, log: box.deps.log, lifecycle }, 20);
      const late = insertInvoice(box, orgId, { number: "INV-0009", status: "sent", dueDate: "2020-02-01" });
      for (let tries = 0; tries < 100 && statusOf(box, late) !== "overdue"; tries++) await Bun.sleep(10);
      expect(statusOf(box, late)).toBe("overdue");
    } finally {
      await lifecycle.runStopHooks(Date.now() + 1000);
      await box.close();
    }
  });
});
