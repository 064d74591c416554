import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Lifecycle } from "../lifecycle.ts";
import { deliverWaitingBroadcasts } from "./delivery.ts";
import { onBroadcastWake } from "./wake.ts";

/** The stable id of the job, in logs. */
export const BROADCAST_JOB = "broadcasts.deliver";

type Deps = { db: Db; log: Logger; lifecycle: Lifecycle; config: { baseUrl: string } };

/**
 * Delivers broadcasts in the background: at start (a broadcast a stop cut short is finished) and
 * whenever one is sent. On stop it finishes the batch in hand; the rest waits for the next start.
 */
export function startBroadcastDelivery(deps: Deps): void {
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          const written = await deliverWaitingBroadcasts(
            { db: deps.db, log: deps.log, baseUrl: deps.config.baseUrl },
            { stopping: () => stopped },
          );
          if (written > 0) deps.log.info({ job: BROADCAST_JOB, recipients: written }, "broadcast recipients written");
        } catch (error) {
          deps.log.error({ job: BROADCAST_JOB, err: error }, "delivering broadcasts failed");
        }
      } while (again && !stopped);
      running = null;
    })();
  };
  const unregister = onBroadcastWake(run);
  run();
  deps.lifecycle.onStop(BROADCAST_JOB, async () => {
    stopped = true;
    unregister();
    await running;
  });
}
