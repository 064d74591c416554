import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { JobDefinition, JobResult, RunContext } from "../jobs/definition.ts";
import type { Keyring } from "../tools/secrets.ts";
import { type Backoff, DEFAULT_BACKOFF, listScopesWithMailQueued, requeueInterruptedMessages } from "./delivery.ts";
import { drainOutbox } from "./drain.ts";
import { ProviderSlot } from "./provider-slot.ts";
import type { ProviderOverrides } from "./providers/provider.ts";
import { SendSlots } from "./send-slots.ts";

/** The stable id of the outbox's job on the job runtime. */
export const OUTBOX_JOB = "mail.outbox";

const MINUTE = 60_000;

export type OutboxSendingOptions = {
  /** Messages in the provider's hands at once, for the whole box (SMTP: over the pool's connections). */
  concurrency?: number;
  backoff?: Backoff;
  /** Tests only: local servers in place of the providers' endpoints. */
  overrides?: ProviderOverrides;
};

/**
 * What the outbox job sends with, made once per process by main.ts: the box's one provider
 * (with its pooled connections, kept between runs) and the lanes every drain shares. `close`
 * comes after the job runtime has stopped.
 */
export type OutboxSending = {
  /** Whether mail can go now (a provider is configured, not waiting for a reconnect). */
  ready: () => boolean;
  drain: (ctx: RunContext) => Promise<JobResult | undefined>;
  close: () => void;
};

type Deps = { db: Db; keyring: Keyring; log: Logger; config: { baseUrl: string; dataDir: string } };

export function createOutboxSending(deps: Deps, options: OutboxSendingOptions = {}): OutboxSending {
  const providers = new ProviderSlot(deps, options.overrides);
  const lanes = options.concurrency ?? 4;
  const drainDeps = {
    ...deps,
    providers,
    slots: new SendSlots(lanes),
    lanes,
    backoff: options.backoff ?? DEFAULT_BACKOFF,
  };
  return {
    ready: () => providers.ready() !== null,
    drain: (ctx) => drainOutbox(drainDeps, ctx),
    close: () => providers.close(),
  };
}

/**
 * The outbox as a job of the runtime: when messages are due, a run per organisation (and one of
 * the whole box for its own mail: password resets, alerts) sends them, a few at a time through
 * the one provider. Queueing a message wakes it (wake.ts); a message a temporary failure put
 * back waits out its back-off in the queue. It is never quarantined: its failures are the
 * messages', and they are on the Outbox page.
 */
export function outboxJob(deps: { db: Db; sending?: OutboxSending }): JobDefinition {
  return {
    id: OUTBOX_JOB,
    title: "E-mail outbox",
    description:
      "Sends queued e-mail through the configured provider as soon as it is queued, four at a time for the whole box; each organisation's in its own run, the box's own (password resets, alerts) in a run of the whole box. Retries wait out their back-off in the queue.",
    scope: "organization",
    schedule: { event: true },
    timeoutMs: 15 * MINUTE,
    history: "notable",
    quarantineAfter: null,
    waiting: () => (deps.sending?.ready() ? listScopesWithMailQueued(deps.db) : []),
    run: (ctx) => {
      if (!deps.sending) throw new Error("The outbox is sent only by the server.");
      return deps.sending.drain(ctx);
    },
  };
}

/**
 * Messages a stopped or killed process left `sending` go back to the queue, to be sent again
 * with the same Message-ID. main.ts calls it before the job runtime starts.
 */
export function prepareOutbox(deps: { db: Db; log: Logger }): void {
  const requeued = requeueInterruptedMessages(deps.db);
  if (requeued > 0)
    deps.log.warn({ job: OUTBOX_JOB, messages: requeued }, "e-mails interrupted by a stop were queued again");
}
