import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { mailMessages } from "../../models/mail.ts";
import { closeDatabase, databasePath, openDatabase } from "../db.ts";
import { createLogger } from "../http/logger.ts";
import { type ServerProcess, spawnServer, testEnv } from "../testing/harness.ts";
import { setUpDataDirWithEmail } from "../testing/outbox.ts";
import { loopbackSmtpSettings, startTestSmtpServer } from "../testing/smtp-server.ts";
import { queueMail } from "./outbox.ts";

/*
 * The crash drill: a real box process sends queued mail to a real SMTP server and is killed with
 * SIGKILL while messages are in the server's hands, unanswered. After a restart every message
 * arrives exactly once: nothing lost, nothing twice.
 */

const MESSAGES = 12;
const ANSWERED_BEFORE_THE_CRASH = 4;
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

test("kill -9 while messages are being sent: after the restart each arrives exactly once", async () => {
  let holding = true;
  const smtp = await startTestSmtpServer({ holdAnswer: (n) => holding && n > ANSWERED_BEFORE_THE_CRASH });
  cleanups.push(() => smtp.close());
  const dataDir = await setUpDataDirWithEmail(loopbackSmtpSettings(smtp));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));

  // Queued by another process, as a CLI command or a second box would: the worker finds them by polling.
  const db = openDatabase(databasePath(dataDir));
  const log = createLogger("error", { write: () => {} });
  const ids = Array.from(
    { length: MESSAGES },
    (_, n) =>
      queueMail(db, log, {
        orgId: null,
        to: `person${n}@example.com`,
        subject: `Drill ${n}`,
        text: "x",
        template: "invitation",
      }).id,
  );
  closeDatabase(db);

  let box: ServerProcess = await spawnServer(testEnv(dataDir));
  cleanups.push(() => void box.proc.kill(9));
  // Four answered, then the server sits on the next ones: those are in flight when the box dies.
  while (smtp.dataCount() <= ANSWERED_BEFORE_THE_CRASH) await Bun.sleep(20);
  await Bun.sleep(300);
  const answeredBefore = smtp.received.length;
  expect(answeredBefore).toBe(ANSWERED_BEFORE_THE_CRASH);
  box.proc.kill(9);
  await box.proc.exited;
  // Released only once the server has seen every held connection close: a message answered on a
  // dead connection was never acknowledged to the box, and must not count as received.
  while (smtp.heldCount() > 0) await Bun.sleep(20);
  holding = false;

  box = await spawnServer(testEnv(dataDir));
  await box.waitForLog("e-mails interrupted by a stop were queued again");
  await smtp.waitFor(MESSAGES, 15_000);
  // Whatever else was coming would have come by now.
  await Bun.sleep(300);
  box.proc.kill("SIGTERM");
  await box.proc.exited;

  const messageIds = smtp.received.map((mail) => mail.messageId);
  expect(messageIds.length).toBe(MESSAGES);
  expect(new Set(messageIds).size).toBe(MESSAGES);
  const check = openDatabase(databasePath(dataDir));
  try {
    const rows = check.select().from(mailMessages).all();
    expect(rows.filter((row) => ids.includes(row.id)).map((row) => row.status)).toEqual(ids.map(() => "sent"));
    expect(rows.some((row) => row.attempts === 2)).toBe(true);
    expect(new Set<string | null>(rows.map((row) => `<${row.id}@acme.test>`))).toEqual(new Set(messageIds));
  } finally {
    closeDatabase(check);
  }
}, 30_000);
