import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { instanceSettings } from "../../models/instance.ts";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { runCli } from "../testing/cli.ts";
import { setUpDataDirWithEmail } from "../testing/outbox.ts";
import {
  loopbackSmtpSettings,
  startTestSmtpServer,
  TEST_SMTP_PASSWORD,
  type TestSmtpServer,
} from "../testing/smtp-server.ts";

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startTestSmtpServer();
});
afterAll(() => smtp.close());

const setUpWith = setUpDataDirWithEmail;

function storedEmail(dataDir: string): string {
  const db = openDatabase(databasePath(dataDir));
  try {
    return JSON.stringify(db.select().from(instanceSettings).where(eq(instanceSettings.key, "email")).get()?.value);
  } finally {
    closeDatabase(db);
  }
}

test("setup takes SMTP settings; `opsbox mail test` sends through them and prints the server's exact answer", async () => {
  const dataDir = await setUpWith(loopbackSmtpSettings(smtp));
  expect(storedEmail(dataDir)).not.toContain(TEST_SMTP_PASSWORD);
  const sent = await runCli(["mail", "test", "check@example.com"], { OPSBOX_DATA_DIR: dataDir });
  expect(sent.code).toBe(0);
  expect(sent.stdout).toContain(`Provider: smtp 127.0.0.1:${smtp.port}`);
  expect(sent.stdout).toMatch(/Answer: {3}250 OK: queued as TEST\d+/);
  expect(smtp.received.some((mail) => mail.to.includes("check@example.com"))).toBe(true);

  const wrong = await runCli(["mail", "test", "not-an-address"], { OPSBOX_DATA_DIR: dataDir });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toContain("not-an-address is not an e-mail address.");
});

test("setup takes Resend and SendGrid with their API keys sealed; without a provider, `mail test` says so", async () => {
  const resend = await setUpWith({ provider: "resend", apiKey: "re_secret_key_123456", from: "office@acme.test" });
  expect(storedEmail(resend)).toContain('"provider":"resend"');
  expect(storedEmail(resend)).toContain("apiKeyEncrypted");
  expect(storedEmail(resend)).not.toContain("re_secret_key_123456");
  const sendGrid = await setUpWith({ provider: "sendgrid", apiKey: "SG.secret.key-123456", from: "office@acme.test" });
  expect(storedEmail(sendGrid)).not.toContain("SG.secret.key-123456");

  const none = await setUpWith({ provider: "log" });
  const refused = await runCli(["mail", "test", "check@example.com"], { OPSBOX_DATA_DIR: none });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("No e-mail provider is configured");
});
