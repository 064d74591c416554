import { afterEach, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { mailMessages } from "../../models/mail.ts";
import { createLogger } from "../http/logger.ts";
import { listVisibleRuns } from "../jobs/runs.ts";
import { insertOrganizations, type JobsKit, jobsKit } from "../jobs/test-kit.ts";
import { startOutboxJob, untilMailStatus } from "../testing/outbox.ts";
import { loopbackSmtpSettings, startTestSmtpServer, type TestSmtpServer } from "../testing/smtp-server.ts";
import { createKeyring } from "../tools/secrets.ts";
import { requeueInterruptedMessages } from "./delivery.ts";
import { queueMail } from "./outbox.ts";
import { createOutboxSending, OUTBOX_JOB, outboxJob } from "./outbox-job.ts";
import { saveMailSettings } from "./settings.ts";

/*
 * The outbox on the job runtime, against a real SMTP server on loopback: which runs send what,
 * what history they leave, and how a stop treats the messages in the provider's hands. The
 * crash drill (kill -9) is outbox-drill.test.ts.
 */

const keyring = createKeyring(new Uint8Array(32).fill(5));
const config = { baseUrl: "https://box.example", dataDir: "" };
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function boxWithSmtp(options: Parameters<typeof startTestSmtpServer>[0] = {}) {
  const kit: JobsKit = jobsKit();
  cleanups.push(() => kit.close());
  insertOrganizations(kit.db, ["org_a", "org_b"]);
  const smtp: TestSmtpServer = await startTestSmtpServer(options);
  cleanups.push(() => smtp.close());
  saveMailSettings(kit.db, keyring, loopbackSmtpSettings(smtp));
  const log = createLogger("fatal");
  const queue = (orgId: string | null, count: number) =>
    kit.db.transaction((tx) =>
      Array.from(
        { length: count },
        (_, n) =>
          queueMail(tx, log, {
            orgId,
            to: `person${n}@example.com`,
            subject: `Hello ${n}`,
            text: "x",
            template: "invoice",
          }).id,
      ),
    );
  const statuses = () =>
    kit.db
      .select({ status: mailMessages.status })
      .from(mailMessages)
      .all()
      .map((row) => row.status);
  return { kit, smtp, log, queue, statuses };
}

test("a batch of ten or more leaves one run of its organisation, seen by that organisation only, with what it sent and what failed", async () => {
  const { kit, smtp, log, queue } = await boxWithSmtp({
    refuse: (n) => (n === 3 ? { code: 550, message: "5.1.1 No such mailbox" } : null),
  });
  const outbox = startOutboxJob({ db: kit.db, keyring, log, config });
  cleanups.push(() => outbox.stop());
  queue("org_a", 12);
  await smtp.waitFor(11, 10_000);
  await outbox.scheduler.idle();

  const runs = kit.runs();
  expect(runs.map((run) => [run.jobId, run.orgId, run.trigger, run.status, run.progress])).toEqual([
    [OUTBOX_JOB, "org_a", "event", "succeeded", 100],
  ]);
  expect(runs[0]?.resultText).toBe("Sent 11 messages, 1 failed.");
  expect(runs[0]?.resultLinks).toEqual([{ label: "Outbox", href: "/settings/outbox" }]);
  const seenBy = (orgId: string) => listVisibleRuns(kit.db, { orgId, box: false }, {}, { limit: 10 }).length;
  expect([seenBy("org_a"), seenBy("org_b")]).toEqual([1, 0]);
});

test("each organisation's mail goes in its own run and the box's own mail in a run of the whole box; small batches leave no history", async () => {
  const { kit, smtp, queue, statuses } = await boxWithSmtp();
  const lines: { msg: string; orgId?: string | null; job?: string }[] = [];
  const outbox = startOutboxJob({
    db: kit.db,
    keyring,
    log: createLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) }),
    config,
  });
  cleanups.push(() => outbox.stop());
  queue("org_a", 2);
  queue("org_b", 2);
  queue(null, 1);
  await smtp.waitFor(5, 10_000);
  await outbox.scheduler.idle();

  expect(statuses()).toEqual(["sent", "sent", "sent", "sent", "sent"]);
  const sentBy = lines.filter((line) => line.msg === "e-mail sent").map((line) => [line.job, line.orgId]);
  expect(sentBy.sort()).toEqual([
    [OUTBOX_JOB, null],
    [OUTBOX_JOB, "org_a"],
    [OUTBOX_JOB, "org_a"],
    [OUTBOX_JOB, "org_b"],
    [OUTBOX_JOB, "org_b"],
  ]);
  expect(kit.runs()).toEqual([]);
});

test("no provider to send with (the draft log, or settings changed away): queued mail starts no run until one is configured", async () => {
  const { kit, smtp, log, queue } = await boxWithSmtp();
  const [id = ""] = queue("org_a", 1);
  saveMailSettings(kit.db, keyring, { provider: "log" });
  const sending = createOutboxSending({ db: kit.db, keyring, log, config });
  cleanups.push(() => sending.close());
  const scheduler = kit.scheduler([outboxJob({ db: kit.db, sending })]);
  expect(scheduler.tick()).toBe(0);
  saveMailSettings(kit.db, keyring, loopbackSmtpSettings(smtp));
  expect(scheduler.tick()).toBe(1);
  await scheduler.idle();
  expect((await untilMailStatus(kit.db, id, "sent")).attempts).toBe(1);
});

test("stopping: the messages in the provider's hands are finished and written, nothing more is taken, and the run ends", async () => {
  let holding = true;
  const { kit, smtp, log, queue, statuses } = await boxWithSmtp({ holdAnswer: (n) => holding && n > 2 });
  const outbox = startOutboxJob({ db: kit.db, keyring, log, config });
  cleanups.push(
    () => outbox.stop(),
    () => {
      holding = false;
    },
  );
  queue(null, 8);
  while (smtp.heldCount() < 1 || smtp.received.length < 2) await Bun.sleep(20);
  let running = kit.runs()[0];
  for (let tries = 0; !running?.progressMessage && tries < 100; tries++) {
    await Bun.sleep(20);
    running = kit.runs()[0];
  }
  expect(running).toMatchObject({ status: "running", orgId: null });
  expect(running?.progressMessage).toMatch(/^[12] of 8 messages$/);

  const stopped = outbox.stop();
  await Bun.sleep(150);
  holding = false;
  await stopped;
  const count = (status: string) => statuses().filter((each) => each === status).length;
  expect(count("sending")).toBe(0);
  expect(count("sent")).toBe(smtp.received.length);
  expect(smtp.received.length).toBeGreaterThan(2);
  expect(count("queued")).toBe(8 - smtp.received.length);
  expect(kit.runs().filter((run) => run.status !== "succeeded")).toEqual([]);
});

test("a send still unanswered at the stop deadline stays `sending`, for the next start to queue again, and the run waits for that start", async () => {
  let holding = true;
  const { kit, smtp, log, queue } = await boxWithSmtp({ holdAnswer: () => holding });
  const outbox = startOutboxJob({ db: kit.db, keyring, log, config });
  cleanups.push(
    () => outbox.stop(),
    () => {
      holding = false;
    },
  );
  const [id = ""] = queue("org_a", 1);
  while (smtp.heldCount() < 1) await Bun.sleep(20);
  await outbox.scheduler.stop(Date.now() + 500);

  expect(kit.db.select().from(mailMessages).where(eq(mailMessages.id, id)).get()?.status).toBe("sending");
  const [run] = kit.runs();
  expect(run).toMatchObject({ jobId: OUTBOX_JOB, orgId: "org_a", status: "queued", attempt: 0 });
  expect(requeueInterruptedMessages(kit.db)).toBe(1);
});
