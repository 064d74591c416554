import { afterAll, beforeAll, describe, expect } from "bun:test";
import { eq } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import { documents } from "../../models/knowledge.ts";
import { apiAs } from "../auth/people/people-test-kit.ts";
import { makePdf } from "../knowledge/test-kit.ts";
import { saveOrganizationPrivateHosts } from "../outbound/outbound-hosts.ts";
import { type Dovecot, startDovecot } from "../testing/dovecot.ts";
import { makeTempDir, type TestApp } from "../testing/harness.ts";
import { sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { testWith } from "../testing/tools.ts";
import { inboundMessage, inboundMessagesOf, rawMessage, waitFor } from "./test-kit.ts";

const USER = "inbox@acme.test";
const PASSWORD = "dovecot-pass-1";

let dovecot: Dovecot;
let box: TestApp;
let acme: TestBox;
let cookie: string;
const dataDir = makeTempDir("opsbox-inbound-");
let invoicePdf: Uint8Array;

const mailbox = (overrides: Record<string, unknown> = {}) => ({
  address: USER,
  host: "127.0.0.1",
  port: dovecot.port,
  security: "none",
  username: USER,
  password: PASSWORD,
  ...overrides,
});

const invoiceMail = (messageId: string, subject: string) =>
  rawMessage({
    from: "Billing <billing@supplier.test>",
    to: USER,
    subject,
    messageId,
    text: "Please find our invoice attached.",
    attachments: [{ name: "invoice-42.pdf", type: "application/pdf", bytes: invoicePdf }],
  });

async function startBox(): Promise<void> {
  box = await startInProcessApp({ dataDir });
}

function documentsOf(orgId: string) {
  return box.deps.db.select().from(documents).where(eq(documents.orgId, orgId)).all();
}

async function readyz(): Promise<{ status: string; checks: Record<string, Record<string, unknown>> }> {
  return (await box.fetch("/readyz")).json() as Promise<{
    status: string;
    checks: Record<string, Record<string, unknown>>;
  }>;
}

describe("an organisation's IMAP mailbox, read from a real dovecot", () => {
  beforeAll(async () => {
    dovecot = await startDovecot({ [USER]: PASSWORD });
    invoicePdf = await makePdf([{ heading: "Invoice 42", lines: ["Boiler service, 240.00 EUR"] }]);
    await startBox();
    acme = await setUpBox(box);
    cookie = sessionCookie(box, acme.adminId, acme.orgId);
    // Loopback is refused unless the instance admin allows the host for this organisation.
    saveOrganizationPrivateHosts(box.deps.db, acme.orgId, ["127.0.0.1"]);
  });
  afterAll(async () => {
    await box?.close();
    await dovecot?.stop();
  });

  testWith(
    "dovecot",
    "a waiting message becomes a searchable document with its attachment, and is marked seen",
    async () => {
      await dovecot.deliver(USER, invoiceMail("invoice-1@supplier.test", "Invoice 42"));
      const saved = await apiAs(box, cookie)("PUT", "/api/v1/mail/inbound", mailbox());
      expect(saved.status).toBe(200);
      expect(await saved.json()).toMatchObject({ configured: true, passwordSet: true, address: USER });

      const record = await waitFor("the message", () => inboundMessage(box, acme.orgId, "<invoice-1@supplier.test>"));
      expect(record).toMatchObject({
        outcome: "document",
        fromAddress: "billing@supplier.test",
        subject: "Invoice 42",
      });
      const email = await waitFor("the e-mail indexed", () =>
        documentsOf(acme.orgId).find((document) => document.id === record.documentId && document.status === "indexed"),
      );
      expect(email).toMatchObject({ kind: "email", title: "Invoice 42", uploadedBy: null });
      const attachment = await waitFor("the attachment indexed", () =>
        documentsOf(acme.orgId).find((document) => document.parentId === email.id && document.status === "indexed"),
      );
      expect(attachment).toMatchObject({ kind: "pdf", fileName: "invoice-42.pdf" });
      const search = await apiAs(box, cookie)("GET", "/api/v1/search?q=boiler");
      expect(await search.text()).toContain(attachment.id);
      await waitFor("the message seen", async () => (await dovecot.inbox(USER))[0]?.flags.includes("\\Seen"));
      expect(await dovecot.inbox(USER)).toHaveLength(1);
    },
    30_000,
  );

  testWith(
    "dovecot",
    "IDLE takes in a new message within seconds; the same PDF again is stored once",
    async () => {
      const before = Date.now();
      await dovecot.deliver(USER, invoiceMail("invoice-1-reminder@supplier.test", "Reminder: invoice 42"));
      const record = await waitFor(
        "the reminder",
        () => inboundMessage(box, acme.orgId, "<invoice-1-reminder@supplier.test>"),
        5000,
      );
      expect(Date.now() - before).toBeLessThan(5000);
      expect(record.outcome).toBe("document");
      await waitFor("the reminder read", () =>
        documentsOf(acme.orgId).find((document) => document.id === record.documentId && document.status === "indexed"),
      );
      const pdfs = documentsOf(acme.orgId).filter((document) => document.kind === "pdf");
      expect(pdfs).toHaveLength(1);
    },
    30_000,
  );

  testWith(
    "dovecot",
    "a copy of a message already taken in is only marked seen",
    async () => {
      await dovecot.deliver(USER, invoiceMail("invoice-1@supplier.test", "Invoice 42 (copy)"));
      await waitFor("the copy seen", async () => {
        const messages = await dovecot.inbox(USER);
        return messages.length === 3 && messages.every((message) => message.flags.includes("\\Seen"));
      });
      expect(inboundMessagesOf(box, acme.orgId)).toHaveLength(2);
      expect(documentsOf(acme.orgId).filter((document) => document.title.startsWith("Invoice 42 (copy)"))).toEqual([]);
    },
    30_000,
  );

  testWith(
    "dovecot",
    "after a restart, a message left unseen (a stop before it was marked) is not taken in again",
    async () => {
      await box.close();
      // As if the process had stopped between recording the message and marking it seen.
      const client = new ImapFlow({
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        auth: { user: USER, pass: PASSWORD },
        logger: false,
      });
      await client.connect();
      await client.mailboxOpen("INBOX");
      await client.messageFlagsRemove("1:*", ["\\Seen"]);
      await client.logout();
      const documentsBefore = documentsOf(acme.orgId).length;
      await startBox();
      await waitFor("every message seen again", async () =>
        (await dovecot.inbox(USER)).every((message) => message.flags.includes("\\Seen")),
      );
      expect(inboundMessagesOf(box, acme.orgId)).toHaveLength(2);
      expect(documentsOf(acme.orgId)).toHaveLength(documentsBefore);
    },
    30_000,
  );

  testWith(
    "dovecot",
    "a refused password shows in Settings and in /readyz (not critical); a good one clears it",
    async () => {
      const call = apiAs(box, cookie);
      expect((await call("PUT", "/api/v1/mail/inbound", mailbox({ password: "wrong-password" }))).status).toBe(200);
      const failed = await waitFor("the failure", async () => {
        const body = (await (await call("GET", "/api/v1/mail/inbound")).json()) as {
          status: { state: string; lastError: string | null };
        };
        return body.status.state === "failed" ? body : null;
      });
      expect(failed.status.lastError).toContain("refused the user name or password");
      expect(JSON.stringify(failed)).not.toContain("wrong-password");
      const page = await box.fetch("/settings/inbound-mail", { headers: { Cookie: cookie } });
      expect(await page.text()).toContain("refused the user name or password");
      const ready = await readyz();
      expect(ready.status).toBe("ok");
      expect(ready.checks.inboundMail).toMatchObject({ status: "fail", critical: false });
      expect(String(ready.checks.inboundMail?.message)).toContain("refused the user name or password");

      expect((await call("PUT", "/api/v1/mail/inbound", mailbox())).status).toBe(200);
      await waitFor("the mailbox connected", async () => (await readyz()).checks.inboundMail?.status === "ok");
    },
    30_000,
  );
  testWith(
    "dovecot",
    "a mailbox on a private address is refused unless the instance admin allowed the host",
    async () => {
      saveOrganizationPrivateHosts(box.deps.db, acme.orgId, []);
      await apiAs(box, cookie)("PUT", "/api/v1/mail/inbound", mailbox());
      const row = await waitFor("the refusal", async () => {
        const body = (await (await apiAs(box, cookie)("GET", "/api/v1/mail/inbound")).json()) as {
          status: { state: string; lastError: string | null };
        };
        return body.status.state === "failed" ? body.status : null;
      });
      expect(row.lastError).toContain("private or loopback address");
    },
    30_000,
  );
});
