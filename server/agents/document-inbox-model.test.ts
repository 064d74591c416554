import { afterAll, beforeAll, describe, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { bills, documentInboxReads } from "../../models/bills.ts";
import { documents } from "../../models/knowledge.ts";
import { createLogger } from "../http/logger.ts";
import { JobScheduler } from "../jobs/scheduler.ts";
import { seedDocument } from "../knowledge/assistant/test-kit.ts";
import { INVOICE_TEXT } from "../knowledge/invoice-reading/test-kit.ts";
import { writeOrganizationSetting } from "../organization-settings.ts";
import type { TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testModelPath, testWith } from "../testing/test-model.ts";
import { agentJobs } from "./registry.ts";
import { SETTINGS_KEY } from "./settings.ts";

describe("the document inbox agent with the chat model", () => {
  const model = testModelPath();
  let box: TestApp;
  let orgId = "";
  let adminId = "";
  let documentId = "";
  let scheduler: JobScheduler;

  beforeAll(async () => {
    if (!model) return;
    box = await startInProcessApp({ env: { OPSBOX_CHAT_MODEL: model, OPSBOX_AI_THREADS: "1" } });
    ({ orgId, adminId } = await setUpBox(box));
    ({ documentId } = seedDocument(box, orgId, {
      title: "Bill from Boiler Service",
      chunks: [{ text: INVOICE_TEXT }],
    }));
    box.deps.db
      .update(documents)
      .set({ fileName: "acme-bill.pdf", indexedAt: new Date() })
      .where(eq(documents.id, documentId))
      .run();
    // Every bill waits for a person here, so the test does not depend on what the tiny model reads.
    writeOrganizationSetting(
      box.deps.db,
      orgId,
      SETTINGS_KEY,
      { "document-parser": { thresholdPercent: 101 } },
      new Date(),
    );
    const { db, keyring, config, ai } = box.deps;
    const log = createLogger("fatal");
    scheduler = new JobScheduler({
      db,
      log,
      baseUrl: config.baseUrl,
      jobs: agentJobs({ db, log, keyring, baseUrl: config.baseUrl, dataDir: config.dataDir, ai }),
    });
  });
  afterAll(() => box?.close());

  async function runOnce() {
    scheduler.runNow("document-parser", orgId);
    scheduler.tick();
    await scheduler.idle();
  }

  testWith(
    "model",
    "reads a new document into one draft bill with its confidence, linked both ways, and never twice",
    async () => {
      await runOnce();
      const made = box.deps.db.select().from(bills).where(eq(bills.orgId, orgId)).all();
      expect(made).toHaveLength(1);
      const bill = made[0];
      expect(bill).toMatchObject({ sourceDocumentId: documentId, status: "draft", createdByAgent: "document-parser" });
      expect(bill?.confidence).toBeGreaterThanOrEqual(0);
      expect(bill?.confidence).toBeLessThanOrEqual(1);
      const read = box.deps.db.select().from(documentInboxReads).all();
      expect(read.map((row) => [row.documentId, row.outcome, row.billId])).toEqual([
        [documentId, "bill", bill?.id ?? null],
      ]);

      const cookie = sessionCookie(box, adminId, orgId);
      const documentPage = await (await box.fetch(`/documents/${documentId}`, { headers: { Cookie: cookie } })).text();
      expect(documentPage).toContain(`href="/bills/${bill?.id}"`);
      const billPage = await (await box.fetch(`/bills/${bill?.id}`, { headers: { Cookie: cookie } })).text();
      expect(billPage).toContain(`href="/documents/${documentId}"`);
      expect(billPage).toContain("Entered by Document inbox");
      expect(billPage).toMatch(/Read with \d+ % confidence/);

      await runOnce();
      expect(box.deps.db.select().from(bills).where(eq(bills.orgId, orgId)).all()).toHaveLength(1);
    },
    180_000,
  );
});
