import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import type { Db, Queryable } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import { JobScheduler } from "../jobs/scheduler.ts";
import { createOutboxSending, type OutboxSendingOptions, outboxJob, prepareOutbox } from "../mail/outbox-job.ts";
import { onOutboxWake } from "../mail/wake.ts";
import type { Keyring } from "../tools/secrets.ts";
import { runCli } from "./cli.ts";
import { makeTempDir } from "./harness.ts";
import { TEST_PASSWORD } from "./identity.ts";

/** A fresh data directory set up by `opsbox setup --config` with these e-mail settings. */
export async function setUpDataDirWithEmail(email: Record<string, unknown>): Promise<string> {
  const dataDir = makeTempDir();
  const file = join(dataDir, "setup.json");
  const admin = { email: "admin@acme.test", name: "Ada", password: TEST_PASSWORD };
  writeFileSync(file, JSON.stringify({ organization: { name: "Acme Ltd" }, admin, email }));
  const setup = await runCli(["setup", "--config", file], { OPSBOX_DATA_DIR: dataDir });
  if (setup.code !== 0) throw new Error(`opsbox setup failed: ${setup.stderr}`);
  return dataDir;
}

/**
 * Waits until the outbox message `id` has `status` (the worker writes it just after the server's
 * answer) and returns it; fails naming the status it is stuck in.
 */
export async function untilMailStatus(
  db: Queryable,
  id: string,
  status: MailMessage["status"],
  ms = 10_000,
): Promise<MailMessage> {
  const deadline = Date.now() + ms;
  for (;;) {
    const message = db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();
    if (message?.status === status) return message;
    if (Date.now() > deadline) throw new Error(`message ${id} is ${message?.status ?? "missing"}, not ${status}`);
    await Bun.sleep(20);
  }
}

type OutboxDeps = { db: Db; keyring: Keyring; log: Logger; config: { baseUrl: string; dataDir: string } };

/**
 * The outbox job alone on a started job runtime, wired as main.ts wires it (messages left
 * `sending` queued again, queueing wakes it), for tests of a provider without a whole box.
 */
export function startOutboxJob(
  deps: OutboxDeps,
  options: OutboxSendingOptions = {},
): { scheduler: JobScheduler; stop: () => Promise<void> } {
  prepareOutbox(deps);
  const sending = createOutboxSending(deps, options);
  const scheduler = new JobScheduler({
    db: deps.db,
    log: deps.log,
    baseUrl: deps.config.baseUrl,
    jobs: [outboxJob({ db: deps.db, sending })],
  });
  const unregister = onOutboxWake(() => scheduler.wake());
  scheduler.start();
  return {
    scheduler,
    stop: async () => {
      unregister();
      await scheduler.stop(Date.now() + 5_000);
      sending.close();
    },
  };
}
