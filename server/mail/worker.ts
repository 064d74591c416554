import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { Keyring } from "../tools/secrets.ts";
import { deliverNextMessage } from "./deliver-next.ts";
import { type Backoff, DEFAULT_BACKOFF, nextMessageDueAt, requeueInterruptedMessages } from "./delivery.ts";
import { createProvider, type ProviderOverrides } from "./providers/provider.ts";
import type { MailProvider, TransportSettings } from "./providers/types.ts";
import { readStoredMailSettings, readTransportSettings } from "./settings.ts";
import { onOutboxWake } from "./wake.ts";

/** The stable id of the job, in logs. */
export const OUTBOX_JOB = "mail.outbox";

export type OutboxWorkerOptions = {
  /** Messages in the provider's hands at once (SMTP: connections of the pool). */
  concurrency?: number;
  /** How often an idle worker looks at the queue without a wake-up (other processes, retries coming due). */
  idlePollMs?: number;
  backoff?: Backoff;
  /** Tests only: local servers in place of the providers' endpoints. */
  overrides?: ProviderOverrides;
};

export type OutboxWorker = { stop: () => Promise<void> };

/** `config.baseUrl` makes the unsubscribe links of non-essential mail; `config.dataDir` holds the attachments' bytes. */
type Deps = { db: Db; keyring: Keyring; log: Logger; config: { baseUrl: string; dataDir: string } };

/**
 * Sends queued mail in the background: a few lanes, each taking the next due message, handing it
 * to the provider and writing the answer. Nothing here runs inside a request. Messages a dead
 * process left `sending` are queued again first. On stop, lanes finish the message in hand (the
 * stop deadline bounds it); one cut off stays `sending` and is resumed at the next start.
 */
export function startOutboxWorker(deps: Deps, options: OutboxWorkerOptions = {}): OutboxWorker {
  const requeued = requeueInterruptedMessages(deps.db);
  if (requeued > 0)
    deps.log.warn({ job: OUTBOX_JOB, messages: requeued }, "e-mails interrupted by a stop were queued again");
  const idlePollMs = options.idlePollMs ?? 2_000;
  const providers = new ProviderSlot(deps, options.overrides);
  let stopped = false;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of sleepers) wake();
  };
  const unregister = onOutboxWake(wakeAll);
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  const lane = async () => {
    while (!stopped) {
      let next: "worked" | "idle" | "unconfigured" = "idle";
      try {
        next = await sendNext(deps, providers, options.backoff ?? DEFAULT_BACKOFF);
      } catch (error) {
        next = "unconfigured";
        deps.log.error({ job: OUTBOX_JOB, err: error }, "the outbox worker failed; trying again shortly");
      }
      if (next === "idle" && !stopped) await sleep(idleWait(deps.db, idlePollMs));
      if (next === "unconfigured" && !stopped) await sleep(idlePollMs);
    }
  };
  const lanes = Array.from({ length: options.concurrency ?? 4 }, () => lane());

  return {
    stop: async () => {
      stopped = true;
      unregister();
      wakeAll();
      await Promise.all(lanes);
      providers.close();
    },
  };
}

/** Sends the next due message: `idle` when none is due, `unconfigured` while mail goes to the draft log. */
async function sendNext(
  deps: Deps,
  providers: ProviderSlot,
  backoff: Backoff,
): Promise<"worked" | "idle" | "unconfigured"> {
  const current = providers.current();
  if (!current) return "unconfigured";
  // An OAuth grant that must be connected again: messages wait, their attempts unspent.
  if (current.provider.paused?.()) return "unconfigured";
  const links = { keyring: deps.keyring, baseUrl: deps.config.baseUrl };
  const done = await deliverNextMessage(deps.db, current, backoff, () => new Date(), links, deps.config.dataDir);
  if (!done) return "idle";
  const { message, status, answer } = done;
  const line = {
    job: OUTBOX_JOB,
    mailId: message.id,
    provider: current.provider.name,
    attempt: message.attempts,
    status,
  };
  if (status === "sent") deps.log.info(line, "e-mail sent");
  else if (status === "suppressed") deps.log.info(line, "e-mail not sent: the address is on the suppression list");
  else deps.log.warn({ ...line, answer }, status === "failed" ? "e-mail failed" : "e-mail will be retried");
  return "worked";
}

/** Until the next retry comes due, at most the idle poll. */
function idleWait(db: Db, idlePollMs: number): number {
  try {
    const due = nextMessageDueAt(db);
    return due ? Math.min(idlePollMs, Math.max(0, due.getTime() - Date.now())) : idlePollMs;
  } catch {
    return idlePollMs;
  }
}

/**
 * The provider of the current settings, made again when they change (the settings row's time
 * says so); the old one is closed once replaced. Null while mail goes to the draft log.
 */
class ProviderSlot {
  #version = -1;
  #held: { settings: TransportSettings; provider: MailProvider } | null = null;

  constructor(
    private readonly deps: Deps,
    private readonly overrides: ProviderOverrides | undefined,
  ) {}

  current(): { settings: TransportSettings; provider: MailProvider } | null {
    const version = readStoredMailSettings(this.deps.db).updatedAt;
    if (version !== this.#version) {
      this.#version = version;
      const previous = this.#held;
      const settings = readTransportSettings(this.deps.db, this.deps.keyring);
      this.#held = settings ? { settings, provider: createProvider(settings, this.deps, this.overrides) } : null;
      // nodemailer closes a pooled connection only once its message is through.
      previous?.provider.close();
    }
    return this.#held;
  }

  close(): void {
    this.#held?.provider.close();
    this.#held = null;
  }
}
