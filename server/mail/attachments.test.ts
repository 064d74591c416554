import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { mailMessages } from "../../models/mail.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { deleteFileIfUnused, storedFilePath } from "../knowledge/upload/files.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir } from "../testing/harness.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { createKeyring } from "../tools/secrets.ts";
import { listAttachments, readAttachments, storeAttachment } from "./attachments.ts";
import { deliverNextMessage } from "./deliver-next.ts";
import { DEFAULT_BACKOFF } from "./delivery.ts";
import { queueMail } from "./outbox.ts";
import { smtpProvider } from "./providers/smtp.ts";
import { saveMailSettings } from "./settings.ts";

const log = createLogger("error", { write: () => {} });
const keyring = createKeyring(new Uint8Array(32).fill(3));
const dataDir = makeTempDir();
let db: Db;
let smtp: TestSmtpServer;
beforeAll(async () => {
  db = openDatabase(databasePath(dataDir));
  migrate(db);
  smtp = await startTestSmtpServer();
  saveMailSettings(db, keyring, loopbackSmtpSettings(smtp));
});
afterAll(async () => {
  closeDatabase(db);
  await smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pdf = (marker: string) => ({
  fileName: "invoice-INV-1.pdf",
  contentType: "application/pdf",
  bytes: new TextEncoder().encode(`%PDF-1.7\n${marker}\n%%EOF\n`),
});

test("an attachment is stored once under its sha256, outside the database, and read back whole", () => {
  const first = storeAttachment(dataDir, pdf("one"));
  const again = storeAttachment(dataDir, pdf("one"));
  expect(again).toEqual(first);
  expect(first.sizeBytes).toBe(pdf("one").bytes.byteLength);
  expect(existsSync(storedFilePath(dataDir, first.sha256))).toBe(true);
  expect(readdirSync(join(dataDir, "files", "tmp"))).toEqual([]);
  const message = queueMail(db, log, {
    orgId: null,
    to: "ap@customer.test",
    subject: "Invoice",
    text: "x",
    template: "invoice",
    attachments: [first],
  });
  expect(listAttachments(db, message.id)).toEqual([{ ...first, contentId: null }]);
  const read = readAttachments(db, dataDir, message.id);
  expect(read.ok && new TextDecoder().decode(read.attachments[0]?.content)).toContain("one");
  db.update(mailMessages).set({ status: "cancelled" }).where(eq(mailMessages.id, message.id)).run();
});

test("a file an e-mail refers to is not deleted with a knowledge document of the same bytes", () => {
  const stored = storeAttachment(dataDir, pdf("shared"));
  queueMail(db, log, {
    orgId: null,
    to: "a@b.test",
    subject: "s",
    text: "t",
    template: "invoice",
    attachments: [stored],
  });
  db.update(mailMessages).set({ status: "cancelled" }).run();
  expect(deleteFileIfUnused(db, dataDir, stored.sha256)).toBe(false);
  expect(existsSync(storedFilePath(dataDir, stored.sha256))).toBe(true);
});

test("a message whose attachment is gone or damaged fails at once, naming the file, and nothing is sent", async () => {
  const provider = smtpProvider(loopbackSmtpSettings(smtp));
  const current = { settings: loopbackSmtpSettings(smtp), provider };
  try {
    for (const damage of ["delete", "overwrite"] as const) {
      const stored = storeAttachment(dataDir, pdf(`damaged-${damage}`));
      const path = storedFilePath(dataDir, stored.sha256);
      if (damage === "delete") rmSync(path);
      else writeFileSync(path, "not the same bytes");
      const before = smtp.dataCount();
      queueMail(db, log, {
        orgId: null,
        to: "ap@customer.test",
        subject: "Invoice",
        text: "x",
        template: "invoice",
        attachments: [stored],
      });
      const done = await deliverNextMessage(db, current, DEFAULT_BACKOFF, () => new Date(), undefined, dataDir);
      expect(done?.status).toBe("failed");
      expect(done?.answer).toBe("Not sent: the attachment invoice-INV-1.pdf is missing");
      expect(smtp.dataCount()).toBe(before);
    }
  } finally {
    provider.close();
  }
});

test("an inline image whose file is gone is left out; the message still goes", async () => {
  const logo = storeAttachment(dataDir, { fileName: "logo.png", contentType: "image/png", bytes: pdf("logo").bytes });
  rmSync(storedFilePath(dataDir, logo.sha256));
  const message = queueMail(db, log, {
    orgId: null,
    to: "a@b.test",
    subject: "s",
    text: "t",
    template: "invitation",
    attachments: [{ ...logo, contentId: "logo@opsbox" }],
  });
  expect(readAttachments(db, dataDir, message.id)).toEqual({ ok: true, attachments: [] });
  db.update(mailMessages).set({ status: "cancelled" }).where(eq(mailMessages.id, message.id)).run();
});
