import type { Db } from "../db.ts";
import { subscribeToEvents } from "../events/bus.ts";
import type { Logger } from "../http/logger.ts";
import type { Lifecycle } from "../lifecycle.ts";
import type { Keyring } from "../tools/secrets.ts";
import { mailWaitingNotifications } from "./mail.ts";
import { runNotifier } from "./notifier.ts";
import { pruneNotifications } from "./retention.ts";

/** Stable ids of the jobs, in logs. */
export const NOTIFIER_JOB = "notifications.notify";
export const NOTIFICATION_MAIL_JOB = "notifications.mail";
const TICK_MS = 15_000;
const PRUNE_MS = 3_600_000;

type Deps = { db: Db; log: Logger; keyring: Keyring; lifecycle: Lifecycle; config: { baseUrl: string } };

/**
 * Starts the notifier: it runs on every "new events" of the bus (subscribed before the server
 * listens, so before any console stream: a bell that reads its count after the same
 * announcement sees the new notifications), at start, and every TICK_MS as a safety net; the
 * same tick mails the batches that are due and, hourly, prunes old notifications.
 */
export function startNotifications(deps: Deps, tickMs = TICK_MS): void {
  const notify = () => {
    try {
      runNotifier(deps.db);
    } catch (error) {
      deps.log.error({ job: NOTIFIER_JOB, err: error }, "turning events into notifications failed");
    }
  };
  let prunedAt = 0;
  const tick = () => {
    notify();
    try {
      const mailed = mailWaitingNotifications({
        db: deps.db,
        log: deps.log,
        keyring: deps.keyring,
        baseUrl: deps.config.baseUrl,
      });
      if (mailed > 0) deps.log.info({ job: NOTIFICATION_MAIL_JOB, mailed }, "notification e-mails queued");
      if (Date.now() - prunedAt >= PRUNE_MS) {
        prunedAt = Date.now();
        pruneNotifications(deps.db);
      }
    } catch (error) {
      deps.log.error({ job: NOTIFICATION_MAIL_JOB, err: error }, "mailing notifications failed");
    }
  };
  const unsubscribe = subscribeToEvents(() => {
    if (!deps.lifecycle.stopping) notify();
  });
  tick();
  const timer = setInterval(tick, tickMs);
  timer.unref();
  deps.lifecycle.onStop(NOTIFIER_JOB, () => {
    unsubscribe();
    clearInterval(timer);
  });
}
