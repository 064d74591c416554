import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { JobDefinition } from "../jobs/definition.ts";
import { deliverWaitingBroadcasts, listOrganizationsWithBroadcastsToDeliver } from "./delivery.ts";

/** The stable id of the job on the job runtime. */
export const BROADCAST_JOB = "broadcasts.deliver";

type Deps = { db: Db; log: Logger; config: { baseUrl: string } };

/**
 * Delivers an organisation's broadcasts in the background, batch by batch, whenever one waits:
 * sending a broadcast wakes the runtime (wake.ts), and one a stop cut short is found at the next
 * start. On stop it finishes the batch in hand; the rest waits for the next start.
 */
export function broadcastDeliveryJob(deps: Deps): JobDefinition {
  return {
    id: BROADCAST_JOB,
    title: "Broadcast delivery",
    description:
      "Writes each recipient's notification and e-mail of a sent broadcast, in batches, as soon as it is sent.",
    scope: "organization",
    schedule: { event: true },
    timeoutMs: 30 * 60_000,
    history: "notable",
    waiting: () => listOrganizationsWithBroadcastsToDeliver(deps.db),
    run: async (ctx) => {
      const written = await deliverWaitingBroadcasts(
        { db: deps.db, log: ctx.logger, baseUrl: deps.config.baseUrl },
        { orgId: ctx.orgId ?? undefined, stopping: () => ctx.stopping.aborted || ctx.signal.aborted },
      );
      if (written === 0) return undefined;
      ctx.logger.info({ recipients: written }, "broadcast recipients written");
      return {
        summary: `Delivered to ${written} recipient(s).`,
        links: [{ label: "Broadcasts", href: "/broadcasts" }],
      };
    },
  };
}
