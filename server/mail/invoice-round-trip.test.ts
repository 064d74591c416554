import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { and, desc, eq } from "drizzle-orm";
import type PostalMime from "postal-mime";
import { documents } from "../../models/knowledge.ts";
import { mailAttachments, mailMessages } from "../../models/mail.ts";
import { storedFilePath } from "../knowledge/upload/files.ts";
import { saveOrganizationPrivateHosts } from "../outbound/outbound-hosts.ts";
import { type Dovecot, startDovecot } from "../testing/dovecot.ts";
import type { TestApp } from "../testing/harness.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { untilMailStatus } from "../testing/outbox.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { testWith } from "../testing/tools.ts";
import { forceStatus, json, makeCustomer, makeInvoice, type Scene, setUpScene } from "../work/invoices/test-kit.ts";
import { saveMailSettings } from "./settings.ts";

/*
 * An invoice mailed by Opsbox, end to end: the outbox worker sends it through a real SMTP server
 * with its PDF attached, and when the customer's address is the organisation's own inbound
 * mailbox (a real dovecot), the PDF comes back into the knowledge base byte for byte.
 */

const INBOX = "books@acme.test";
const INBOX_PASSWORD = "dovecot-pass-7";

let box: TestApp;
let scene: Scene;
let smtp: TestSmtpServer;
let raw = "";
let pdfSha256 = "";
let pdfName = "";

type Parsed = Awaited<ReturnType<typeof PostalMime.parse>>;
async function parse(message: string): Promise<Parsed> {
  const { default: Parser } = await import("postal-mime");
  return Parser.parse(message);
}

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  box = await startInProcessApp();
  scene = await setUpScene(box);
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
});
afterAll(async () => {
  await box?.close();
  await smtp?.close();
});

describe("an invoice e-mailed to a customer", () => {
  test("arrives at the SMTP server with both parts, its headers and the PDF intact", async () => {
    const customer = await makeCustomer(scene.admin, { name: "Books Dept", email: INBOX });
    const invoice = await makeInvoice(scene.admin, customer.id);
    forceStatus(box, invoice.id, "approved");
    await json(await scene.admin("POST", `/api/v1/invoices/${invoice.id}/send`), 200);

    const row = box.deps.db
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.toAddress, INBOX), eq(mailMessages.template, "invoice")))
      .orderBy(desc(mailMessages.id))
      .get();
    if (!row) throw new Error("no invoice e-mail queued");
    const sent = await untilMailStatus(box.deps.db, row.id, "sent");
    const [stored] = box.deps.db.select().from(mailAttachments).where(eq(mailAttachments.messageId, row.id)).all();
    if (!stored) throw new Error("no attachment recorded");
    pdfSha256 = stored.sha256;
    pdfName = stored.fileName;
    expect(pdfName).toBe(`invoice-${invoice.number}.pdf`);
    // The database holds a reference; the bytes are a file of the data directory.
    const onDisk = new Uint8Array(readFileSync(storedFilePath(box.dataDir, stored.sha256)));
    expect(onDisk.byteLength).toBe(stored.sizeBytes);

    const received = smtp.received.find((mail) => mail.messageId === sent.messageIdHeader);
    if (!received) throw new Error("the SMTP server did not get the message");
    raw = received.raw;
    const mail = await parse(raw);
    expect(mail.messageId).toBe(sent.messageIdHeader ?? "");
    expect(mail.messageId).toMatch(/^<msg_\w+@acme\.test>$/);
    expect(Date.parse(mail.date ?? "")).toBe(Math.floor(row.createdAt.getTime() / 1000) * 1000);
    expect(mail.subject).toBe(`Invoice ${invoice.number} from Acme Ltd`);
    expect(mail.replyTo?.[0]?.address).toBe(scene.acme.adminEmail);
    expect(mail.text).toContain("€120.00");
    expect(mail.html).toContain("€120.00");
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf?.filename).toBe(pdfName);
    expect(pdf?.mimeType).toBe("application/pdf");
    const bytes = new Uint8Array(pdf?.content as ArrayBuffer);
    expect(new Bun.CryptoHasher("sha256").update(bytes).digest("hex")).toBe(stored.sha256);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe("%PDF-");
  }, 20_000);

  describe("to the organisation's own inbound mailbox", () => {
    let dovecot: Dovecot | null = null;
    afterAll(async () => {
      await dovecot?.stop();
    });

    testWith(
      "dovecot",
      "lands in the knowledge base with the same PDF",
      async () => {
        if (!raw) throw new Error("the SMTP test did not capture the message");
        dovecot = await startDovecot({ [INBOX]: INBOX_PASSWORD });
        saveOrganizationPrivateHosts(box.deps.db, scene.acme.orgId, ["127.0.0.1"]);
        const mailbox = {
          address: INBOX,
          host: "127.0.0.1",
          port: dovecot.port,
          security: "none",
          username: INBOX,
          password: INBOX_PASSWORD,
        };
        await json(await scene.admin("PUT", "/api/v1/mail/inbound", mailbox), 200);
        // What the SMTP server accepted is what the mailbox gets.
        await dovecot.deliver(INBOX, raw);

        const documentsOfAcme = () =>
          box.deps.db.select().from(documents).where(eq(documents.orgId, scene.acme.orgId)).all();
        const deadline = Date.now() + 20_000;
        let pdf = documentsOfAcme().find((document) => document.kind === "pdf" && document.parentId !== null);
        while (!pdf && Date.now() < deadline) {
          await Bun.sleep(50);
          pdf = documentsOfAcme().find((document) => document.kind === "pdf" && document.parentId !== null);
        }
        expect(pdf).toMatchObject({ fileName: pdfName, sha256: pdfSha256 });
        const email = documentsOfAcme().find((document) => document.id === pdf?.parentId);
        expect(email?.kind).toBe("email");
        expect(email?.title).toContain("Invoice");
      },
      40_000,
    );
  });
});
