import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TestApp } from "../testing/harness.ts";
import { createOrganization, sessionCookie, setUpBox, type TestBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { storeAttachment } from "./attachments.ts";
import { deliverNextMessage } from "./deliver-next.ts";
import { DEFAULT_BACKOFF } from "./delivery.ts";
import { queueMail } from "./outbox.ts";
import { smtpProvider } from "./providers/smtp.ts";
import { saveMailSettings } from "./settings.ts";

let box: TestApp;
let acme: TestBox;
let globex: { orgId: string; adminId: string };
let smtp: TestSmtpServer;
let sentId = "";
let waitingId = "";

type MessageJson = {
  id: string;
  messageId: string | null;
  attachments: { fileName: string; contentType: string; sizeBytes: number; inline: boolean }[];
};

beforeAll(async () => {
  box = await startInProcessApp();
  acme = await setUpBox(box);
  globex = await createOrganization(box, "Globex");
  smtp = await startTestSmtpServer();
  saveMailSettings(box.deps.db, box.deps.keyring, loopbackSmtpSettings(smtp));
  const pdf = storeAttachment(box.dataDir, {
    fileName: "invoice-INV-9.pdf",
    contentType: "application/pdf",
    bytes: new TextEncoder().encode("%PDF-1.7\ninvoice nine\n%%EOF\n"),
  });
  const queue = (subject: string) =>
    queueMail(box.deps.db, box.deps.log, {
      orgId: acme.orgId,
      to: "ap@customer.test",
      subject,
      text: "Your invoice.",
      template: "invoice",
      attachments: [pdf],
    });
  sentId = queue("Invoice INV-9").id;
  const provider = smtpProvider(loopbackSmtpSettings(smtp));
  try {
    await deliverNextMessage(
      box.deps.db,
      { settings: loopbackSmtpSettings(smtp), provider },
      DEFAULT_BACKOFF,
      () => new Date(),
      undefined,
      box.dataDir,
    );
  } finally {
    provider.close();
  }
  waitingId = queue("Invoice INV-10").id;
});
afterAll(async () => {
  await smtp.close();
  box.close();
});

const as = (userId: string, orgId: string) => ({ Cookie: sessionCookie(box, userId, orgId) });

test("the outbox API lists each message's attachments and the Message-ID the provider received", async () => {
  const page = (await (await box.fetch("/api/v1/mail/messages", { headers: as(acme.adminId, acme.orgId) })).json()) as {
    data: MessageJson[];
  };
  const sent = page.data.find((row) => row.id === sentId);
  expect(sent?.attachments).toEqual([
    { fileName: "invoice-INV-9.pdf", contentType: "application/pdf", sizeBytes: 28, inline: false },
  ]);
  expect(sent?.messageId).toMatch(/^<msg_\w+@acme\.test>$/);
  expect(smtp.received.at(-1)?.messageId).toBe(sent?.messageId ?? "");
  // Not tried yet: its Message-ID is fixed at the first attempt.
  expect(page.data.find((row) => row.id === waitingId)?.messageId).toBeNull();
});

test("cancelling answers the message with its attachments", async () => {
  const response = await box.fetch(`/api/v1/mail/messages/${waitingId}/cancel`, {
    method: "POST",
    headers: { ...as(acme.adminId, acme.orgId), Origin: new URL(box.url).origin, "HX-Request": "true" },
  });
  expect(response.status).toBe(200);
  expect(((await response.json()) as MessageJson).attachments.map((file) => file.fileName)).toEqual([
    "invoice-INV-9.pdf",
  ]);
});

test("the Outbox page shows the Message-ID and each attachment's name and size", async () => {
  const html = await (await box.fetch("/settings/outbox", { headers: as(acme.adminId, acme.orgId) })).text();
  const sent = html.slice(html.indexOf(`id="outbox-${sentId}"`));
  expect(sent).toMatch(/Message-ID<\/dt>\s*<dd><code>&lt;msg_\w+@acme\.test&gt;<\/code>/);
  expect(sent).toContain('invoice-INV-9.pdf <small class="muted">(28 bytes)</small>');
});

test("another organisation sees neither the message nor its attachments", async () => {
  const page = (await (
    await box.fetch("/api/v1/mail/messages", { headers: as(globex.adminId, globex.orgId) })
  ).json()) as { data: MessageJson[] };
  expect(page.data.map((row) => row.id)).not.toContain(sentId);
  const html = await (await box.fetch("/settings/outbox", { headers: as(globex.adminId, globex.orgId) })).text();
  expect(html).not.toContain("invoice-INV-9.pdf");
});
