import { afterAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { eq } from "drizzle-orm";
import { invoices } from "../../../models/billing.ts";
import { jobRuns } from "../../../models/jobs.ts";
import { FileBackup } from "../../backup/files/file-backup.ts";
import { JobScheduler } from "../../jobs/scheduler.ts";
import { systemJobs } from "../../jobs/system-jobs.ts";
import { SelfCheck } from "../../ops/self-check/self-check.ts";
import { makeTempDir, type TestApp } from "../../testing/harness.ts";
import { setUpBox } from "../../testing/identity.ts";
import { startInProcessApp } from "../../testing/in-process.ts";
import { insertInvoice } from "../pulse/pulse-test-kit.ts";
import { OVERDUE_INVOICES_JOB } from "./overdue-job.ts";

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
      expect(
        box.logs.some((line) => line.job === OVERDUE_INVOICES_JOB && line.result === "Marked 1 invoice(s) overdue."),
      ).toBe(true);
    } finally {
      await box.close();
    }
  });

  test("runs again every hour, on the hour, through the job scheduler", async () => {
    const box = await startInProcessApp();
    try {
      const { orgId } = await setUpBox(box);
      const { db, log, config, keyring } = box.deps;
      let now = new Date("2030-01-07T10:30:00Z");
      const jobs = systemJobs({
        db,
        log,
        config,
        keyring,
        selfCheck: new SelfCheck(box.deps),
        files: new FileBackup({ config, db, keyring, log }),
      }).filter((job) => job.id === OVERDUE_INVOICES_JOB);
      const scheduler = new JobScheduler({ db, log, baseUrl: config.baseUrl, jobs, now: () => now });
      expect(scheduler.tick()).toBe(1); // at start
      await scheduler.idle();
      const late = insertInvoice(box, orgId, { number: "INV-0009", status: "sent", dueDate: "2030-01-06" });
      now = new Date("2030-01-07T10:59:59Z");
      expect(scheduler.tick()).toBe(0);
      expect(statusOf(box, late)).toBe("sent");
      now = new Date("2030-01-07T11:00:00Z");
      expect(scheduler.tick()).toBe(1);
      await scheduler.idle();
      expect(statusOf(box, late)).toBe("overdue");
      const runs = box.deps.db.select().from(jobRuns).where(eq(jobRuns.jobId, OVERDUE_INVOICES_JOB)).all();
      expect(runs.map((run) => [run.status, run.resultText])).toContainEqual([
        "succeeded",
        "Marked 1 invoice(s) overdue.",
      ]);
    } finally {
      await box.close();
    }
  });
});
