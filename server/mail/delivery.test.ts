import { afterAll, beforeAll, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import { closeDatabase, type Db, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { migrate } from "../migrate.ts";
import { makeTempDir } from "../testing/harness.ts";
import { startTestSmtpServer, TEST_SMTP_CERT, TEST_SMTP_PASSWORD, TEST_SMTP_USER } from "../testing/smtp-server.ts";
import { createKeyring } from "../tools/secrets.ts";
import { deliverNextMessage } from "./deliver-next.ts";
import { backoffDelayMs, DEFAULT_BACKOFF, explainNextDue, requeueInterruptedMessages } from "./delivery.ts";
import { queueMail } from "./outbox.ts";
import { smtpProvider } from "./providers/smtp.ts";
import type { TransportSettings } from "./providers/types.ts";
import { saveMailSettings } from "./settings.ts";

/*
 * The outbox's steps on a fake clock against real SMTP servers: no running worker here (the
 * database is this test's alone), so the test decides when each attempt happens.
 */

const log = createLogger("error", { write: () => {} });
const keyring = createKeyring(new Uint8Array(32).fill(7));
let db: Db;
beforeAll(() => {
  db = openDatabase(databasePath(makeTempDir()));
  migrate(db);
});
afterAll(() => closeDatabase(db));

type Smtp = Extract<TransportSettings, { provider: "smtp" }>;
const smtpSettings = (port: number, giveUpAfterHours = 24): Smtp => ({
  provider: "smtp",
  preset: "custom",
  host: "localhost",
  port,
  secure: false,
  verifyCertificate: true,
  username: TEST_SMTP_USER,
  password: TEST_SMTP_PASSWORD,
  from: "office@acme.test",
  fromName: "",
  giveUpAfterHours,
});

function configure(port: number): void {
  saveMailSettings(db, keyring, smtpSettings(port));
}

const messageOf = (id: string): MailMessage => {
  const row = db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();
  if (!row) throw new Error(`no message ${id}`);
  return row;
};
const at = (ms: number) => () => new Date(ms);

test("back-off doubles from 30 seconds up to an hour", () => {
  expect([1, 2, 3, 4, 8, 20].map((attempts) => backoffDelayMs(attempts))).toEqual([
    30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000,
  ]);
});

test("a server that fails twice (451) then accepts: three attempts spaced by the back-off, one delivery, one Message-ID", async () => {
  const flaky = await startTestSmtpServer({
    refuse: (n) => (n <= 2 ? { code: 451, message: "4.7.1 Greylisted, try again later" } : null),
  });
  configure(flaky.port);
  const provider = smtpProvider(smtpSettings(flaky.port), { ca: TEST_SMTP_CERT });
  const current = { settings: smtpSettings(flaky.port), provider };
  try {
    const t0 = Date.parse("2026-03-01T09:00:00Z");
    const { id } = queueMail(
      db,
      log,
      { orgId: null, to: "ada@example.com", subject: "Hi", text: "x", template: "invitation" },
      new Date(t0),
    );
    expect(messageOf(id).status).toBe("queued");

    expect((await deliverNextMessage(db, current, DEFAULT_BACKOFF, at(t0)))?.status).toBe("queued");
    expect(messageOf(id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: new Date(t0 + 30_000),
      lastAnswer: "451 4.7.1 Greylisted, try again later",
    });
    // Not due yet: nothing is claimed.
    expect(await deliverNextMessage(db, current, DEFAULT_BACKOFF, at(t0 + 29_999))).toBeNull();
    expect((await deliverNextMessage(db, current, DEFAULT_BACKOFF, at(t0 + 30_000)))?.status).toBe("queued");
    expect(messageOf(id).nextAttemptAt).toEqual(new Date(t0 + 90_000));
    expect((await deliverNextMessage(db, current, DEFAULT_BACKOFF, at(t0 + 90_000)))?.status).toBe("sent");

    const sent = messageOf(id);
    expect(sent).toMatchObject({
      status: "sent",
      attempts: 3,
      providerMessageId: "TEST1",
      lastAnswer: "250 OK: queued as TEST1",
      provider: "smtp",
    });
    expect(sent.messageIdHeader).toBe(`<${id}@acme.test>`);
    expect(flaky.dataCount()).toBe(3);
    expect(flaky.received.map((mail) => mail.messageId)).toEqual([`<${id}@acme.test>`]);
  } finally {
    provider.close();
    await flaky.close();
  }
});

test("temporary failures stop at the give-up time: the message fails with the last answer", async () => {
  const down = await startTestSmtpServer({ refuse: () => ({ code: 421, message: "4.3.2 Service shutting down" }) });
  const settings = smtpSettings(down.port, 1);
  const provider = smtpProvider(settings, { ca: TEST_SMTP_CERT });
  try {
    const t0 = Date.parse("2026-03-02T09:00:00Z");
    const { id } = queueMail(
      db,
      log,
      { orgId: null, to: "bo@example.com", subject: "Hi", text: "x", template: "invitation" },
      new Date(t0),
    );
    let now = t0;
    for (let step = 0; step < 20 && messageOf(id).status === "queued"; step++) {
      await deliverNextMessage(db, { settings, provider }, DEFAULT_BACKOFF, at(now));
      now = messageOf(id).nextAttemptAt?.getTime() ?? now;
    }
    // Tries at 0 s, 30 s, 90 s, 210 s, 450 s, 930 s and 1890 s; the next (3810 s) would pass the hour.
    expect(messageOf(id)).toMatchObject({
      status: "failed",
      attempts: 7,
      lastAnswer: "421 4.3.2 Service shutting down",
      nextAttemptAt: null,
    });
  } finally {
    provider.close();
    await down.close();
  }
});

test("a permanent refusal (550) fails at once", async () => {
  const strict = await startTestSmtpServer({ refuse: () => ({ code: 550, message: "5.1.1 User unknown" }) });
  const settings = smtpSettings(strict.port);
  const provider = smtpProvider(settings, { ca: TEST_SMTP_CERT });
  try {
    const { id } = queueMail(db, log, {
      orgId: null,
      to: "nobody@example.com",
      subject: "Hi",
      text: "x",
      template: "invitation",
    });
    expect((await deliverNextMessage(db, { settings, provider }, DEFAULT_BACKOFF, () => new Date()))?.status).toBe(
      "failed",
    );
    expect(messageOf(id)).toMatchObject({ status: "failed", attempts: 1, lastAnswer: "550 5.1.1 User unknown" });
  } finally {
    provider.close();
    await strict.close();
  }
});

test("a message a crash left `sending` is queued again, keeping its attempts and Message-ID", () => {
  const { id } = queueMail(db, log, {
    orgId: null,
    to: "cy@example.com",
    subject: "Hi",
    text: "x",
    template: "invitation",
  });
  db.update(mailMessages)
    .set({ status: "sending", attempts: 1, messageIdHeader: `<${id}@acme.test>` })
    .where(eq(mailMessages.id, id))
    .run();
  expect(requeueInterruptedMessages(db)).toBe(1);
  expect(messageOf(id)).toMatchObject({
    status: "queued",
    attempts: 1,
    messageIdHeader: `<${id}@acme.test>`,
    nextAttemptAt: null,
  });
  db.update(mailMessages).set({ status: "cancelled" }).where(eq(mailMessages.id, id)).run();
});

test("mail written while no provider was configured stays in the draft log once one is", async () => {
  saveMailSettings(db, keyring, { provider: "log" });
  const { id } = queueMail(db, log, {
    orgId: null,
    to: "dee@example.com",
    subject: "Old",
    text: "x",
    template: "invitation",
  });
  expect(messageOf(id).status).toBe("logged");
  const server = await startTestSmtpServer();
  configure(server.port);
  const settings = smtpSettings(server.port);
  const provider = smtpProvider(settings, { ca: TEST_SMTP_CERT });
  try {
    expect(await deliverNextMessage(db, { settings, provider }, DEFAULT_BACKOFF, () => new Date())).toBeNull();
    expect(messageOf(id).status).toBe("logged");
    expect(server.received).toEqual([]);
  } finally {
    provider.close();
    await server.close();
  }
});

test("kind: essential for account and security mail, non-essential otherwise unless the caller says", () => {
  const mail = (template: string, kind?: "essential" | "non_essential") =>
    queueMail(db, log, { orgId: null, to: "k@example.com", subject: "s", text: "t", template, kind }).kind;
  expect([mail("password_reset"), mail("invitation"), mail("task_assigned"), mail("digest", "essential")]).toEqual([
    "essential",
    "essential",
    "non_essential",
    "essential",
  ]);
});

test("another scope's backlog is not scanned past to find an organisation's next message", () => {
  // A thousand of the box's own messages wait for a retry: an organisation's drain must not read them.
  const later = new Date(Date.now() + 3_600_000);
  db.transaction((tx) => {
    for (let index = 0; index < 1000; index++) {
      const message = queueMail(tx, log, {
        orgId: null,
        to: `p${index}@example.net`,
        subject: "x",
        text: "x",
        template: "invitation",
      });
      tx.update(mailMessages)
        .set({ status: "queued", nextAttemptAt: later })
        .where(eq(mailMessages.id, message.id))
        .run();
    }
  });
  const plan = explainNextDue(db, new Date(), { orgId: "org_quiet" }).join(" · ");
  expect(plan).toContain("mail_messages_org_due_idx (org_id=? AND status=?");
  expect(plan).not.toContain("SCAN");
});
