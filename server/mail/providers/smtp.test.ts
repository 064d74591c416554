import { afterAll, beforeAll, expect, test } from "bun:test";
import { freePort } from "../../testing/harness.ts";
import {
  startTestSmtpServer,
  TEST_SMTP_CERT,
  TEST_SMTP_PASSWORD,
  TEST_SMTP_USER,
  type TestSmtpServer,
} from "../../testing/smtp-server.ts";
import { smtpProvider } from "./smtp.ts";
import type { ProviderMessage, TransportSettings } from "./types.ts";

type SmtpSettings = Extract<TransportSettings, { provider: "smtp" }>;

let starttls: TestSmtpServer;
let implicitTls: TestSmtpServer;
let refusing: TestSmtpServer;
beforeAll(async () => {
  starttls = await startTestSmtpServer();
  implicitTls = await startTestSmtpServer({ secure: true });
  refusing = await startTestSmtpServer({
    refuse: (n) =>
      n === 1
        ? { code: 451, message: "4.3.0 Mailbox temporarily unavailable" }
        : { code: 550, message: "5.1.1 No such user here" },
  });
});
afterAll(async () => {
  await Promise.all([starttls.close(), implicitTls.close(), refusing.close()]);
});

const settingsFor = (server: { port: number }, changes: Partial<SmtpSettings> = {}): SmtpSettings => ({
  provider: "smtp",
  preset: "custom",
  host: "localhost",
  port: server.port,
  secure: false,
  verifyCertificate: true,
  username: TEST_SMTP_USER,
  password: TEST_SMTP_PASSWORD,
  from: "office@acme.test",
  fromName: "Acme Office",
  giveUpAfterHours: 24,
  ...changes,
});

const message = (id: string): ProviderMessage => ({
  id,
  messageIdHeader: `<${id}@acme.test>`,
  date: new Date("2026-01-02T03:04:05Z"),
  to: "ada@example.com",
  subject: "Hello over SMTP",
  text: "Plain words.",
  html: "<p>Rich words.</p>",
  replyTo: "help@acme.test",
  attachments: [],
});

async function sendOnce(settings: SmtpSettings, id: string) {
  const provider = smtpProvider(settings, { ca: TEST_SMTP_CERT });
  try {
    return await provider.send(message(id));
  } finally {
    provider.close();
  }
}

test("STARTTLS with a user name and password delivers the message with our Message-ID, From, Reply-To and both parts", async () => {
  const outcome = await sendOnce(settingsFor(starttls), "msg_starttls");
  expect(outcome).toEqual({ status: "sent", providerMessageId: "TEST1", answer: "250 OK: queued as TEST1" });
  const mail = starttls.received.at(-1);
  expect(mail?.messageId).toBe("<msg_starttls@acme.test>");
  expect(mail?.to).toEqual(["ada@example.com"]);
  expect(mail?.raw).toContain("From: Acme Office <office@acme.test>");
  expect(mail?.raw).toContain("Reply-To: help@acme.test");
  expect(mail?.raw).toContain("Plain words.");
  expect(mail?.raw).toContain("text/html");
});

test("TLS from the first byte (port 465 style) delivers too", async () => {
  const outcome = await sendOnce(settingsFor(implicitTls, { secure: true }), "msg_tls");
  expect(outcome.status).toBe("sent");
  expect(implicitTls.received.at(-1)?.messageId).toBe("<msg_tls@acme.test>");
});

test("a wrong password is a permanent failure with the server's answer and without the password", async () => {
  const outcome = await sendOnce(settingsFor(starttls, { password: "wrong-password-123" }), "msg_badauth");
  expect(outcome.status).toBe("permanent_failure");
  expect(outcome.answer).toContain("535");
  expect(outcome.answer).not.toContain("wrong-password-123");
});

test("a 4xx answer is temporary and a 5xx answer permanent, each with the server's exact words", async () => {
  const first = await sendOnce(settingsFor(refusing), "msg_451");
  expect(first).toEqual({ status: "temporary_failure", answer: "451 4.3.0 Mailbox temporarily unavailable" });
  const second = await sendOnce(settingsFor(refusing), "msg_550");
  expect(second).toEqual({ status: "permanent_failure", answer: "550 5.1.1 No such user here" });
});

test("a certificate nobody vouches for is refused (temporary: the admin can fix it), and nothing is sent", async () => {
  const before = starttls.received.length;
  const provider = smtpProvider(settingsFor(starttls));
  try {
    const outcome = await provider.send(message("msg_untrusted"));
    expect(outcome.status).toBe("temporary_failure");
    expect(outcome.answer.toLowerCase()).toContain("certificate");
  } finally {
    provider.close();
  }
  expect(starttls.received.length).toBe(before);
});

test("a server that does not answer at all is a temporary failure", async () => {
  const outcome = await sendOnce(settingsFor({ port: freePort() }), "msg_refused");
  expect(outcome.status).toBe("temporary_failure");
  expect(outcome.answer).toContain("ECONNREFUSED");
});
