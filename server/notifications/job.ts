import type { Db } from "../db.ts";
import { subscribeToEvents } from "../events/bus.ts";
import type { Logger } from "../http/logger.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { runNotifier } from "./notifier.ts";

/** Stable ids of the notifier (in logs) and of its jobs (server/jobs/system-jobs.ts: mailing every 15 s, pruning hourly). */
export const NOTIFIER_JOB = "notifications.notify";
export const NOTIFICATION_MAIL_JOB = "notifications.mail";
export const NOTIFICATION_PRUNE_JOB = "notifications.prune";

type Deps = { db: Db; log: Logger; lifecycle: Lifecycle };

/**
 * Starts the notifier: it runs on every "new events" of the bus (subscribed before the server
 * listens, so before any console stream: a bell that reads its count after the same
 * announcement sees the new notifications) and at start. The e-mail batches and the pruning
 * are jobs of the scheduler.
 */
export function startNotifier(deps: Deps): void {
  const notify = () => {
    try {
      runNotifier(deps.db);
    } catch (error) {
      deps.log.error({ job: NOTIFIER_JOB, err: error }, "turning events into notifications failed");
    }
  };
  const unsubscribe = subscribeToEvents(() => {
    if (!deps.lifecycle.stopping) notify();
  });
  notify();
  deps.lifecycle.onStop(NOTIFIER_JOB, unsubscribe);
}
