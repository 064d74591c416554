import type { Db } from "../db.ts";
import type { Logger } from "../http/logger.ts";
import type { JobResult, RunContext } from "../jobs/definition.ts";
import type { Keyring } from "../tools/secrets.ts";
import { type Delivered, deliverNextMessage } from "./deliver-next.ts";
import { type Backoff, countMessagesLeft, type MailScope } from "./delivery.ts";
import type { CurrentProvider, ProviderSlot } from "./provider-slot.ts";
import type { SendSlots } from "./send-slots.ts";

/** A drain stops taking messages after this long and ends with its summary; the next run goes on at once. */
const SLICE_MS = 5 * 60_000;
/** A drain that sent fewer messages than this and failed none leaves no history: the Outbox page shows each message. */
const BATCH_WORTH_KEEPING = 10;
/** How often a drain counts what is left, for its progress. */
const PROGRESS_EVERY_MS = 1_000;

export type DrainDeps = {
  db: Db;
  keyring: Keyring;
  config: { baseUrl: string; dataDir: string };
  providers: ProviderSlot;
  slots: SendSlots;
  /** Lanes of one drain: messages it may have in the provider's hands at once (the slots bound the whole box). */
  lanes: number;
  backoff: Backoff;
};

type Tally = { sent: number; retried: number; failed: number; suppressed: number };

/**
 * One run of the outbox job: the lanes take the scope's due messages one after another, each
 * handing one to the provider and writing its answer, until none is due, the slice is over or
 * the box begins to stop; a message in the provider's hands is always finished and written. A
 * step that throws (the database) ends the drain with that error once the other lanes are done,
 * and the run is retried. Returns a summary for the history only when the batch is worth it.
 */
export async function drainOutbox(deps: DrainDeps, ctx: RunContext): Promise<JobResult | undefined> {
  const scope: MailScope = { orgId: ctx.orgId };
  const enough = AbortSignal.any([ctx.stopping, ctx.signal]);
  const began = Date.now();
  const tally: Tally = { sent: 0, retried: 0, failed: 0, suppressed: 0 };
  const progress = progressOf(deps.db, scope, ctx, tally);
  const links = { keyring: deps.keyring, baseUrl: deps.config.baseUrl };
  const failures: unknown[] = [];

  const lane = async () => {
    while (!enough.aborted && failures.length === 0 && Date.now() - began < SLICE_MS) {
      const release = await deps.slots.acquire(enough);
      if (!release) return;
      try {
        const current = deps.providers.ready();
        if (!current) return;
        const { db, backoff, config } = deps;
        const done = await deliverNextMessage(db, current, backoff, ctx.now, links, config.dataDir, scope);
        if (!done) return;
        count(tally, done.status);
        logDelivery(ctx.logger, current, done);
        // A run aborted at the stop deadline is over; its lanes only write the message in hand.
        if (!ctx.signal.aborted) progress();
      } catch (error) {
        failures.push(error);
        return;
      } finally {
        release();
      }
    }
  };
  await Promise.all(Array.from({ length: deps.lanes }, lane));
  if (failures.length > 0) throw failures[0];
  return summaryOf(tally);
}

function count(tally: Tally, status: Delivered["status"]): void {
  if (status === "sent") tally.sent++;
  else if (status === "queued") tally.retried++;
  else if (status === "suppressed") tally.suppressed++;
  else tally.failed++;
}

/** The run's progress, "120 of 600 messages", counting what is left at most once a second. */
function progressOf(db: Db, scope: MailScope, ctx: RunContext, tally: Tally): () => void {
  let countedAt = 0;
  return () => {
    if (Date.now() - countedAt < PROGRESS_EVERY_MS) return;
    countedAt = Date.now();
    const done = tally.sent + tally.retried + tally.failed + tally.suppressed;
    const of = done + countMessagesLeft(db, scope, ctx.now());
    ctx.progress((100 * done) / of, `${done} of ${of} messages`);
  };
}

function logDelivery(logger: Logger, current: CurrentProvider, done: Delivered): void {
  const { message, status, answer } = done;
  const line = { mailId: message.id, provider: current.provider.name, attempt: message.attempts, status };
  if (status === "sent") logger.info(line, "e-mail sent");
  else if (status === "suppressed") logger.info(line, "e-mail not sent: the address is on the suppression list");
  else logger.warn({ ...line, answer }, status === "failed" ? "e-mail failed" : "e-mail will be retried");
}

/** "Sent 42 messages, 1 failed."; none for a small batch where nothing failed. */
function summaryOf(tally: Tally): JobResult | undefined {
  if (tally.failed === 0 && tally.sent < BATCH_WORTH_KEEPING) return undefined;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [
    `Sent ${plural(tally.sent, "message")}`,
    tally.failed > 0 ? `${tally.failed} failed` : null,
    tally.retried > 0 ? `${tally.retried} to be retried` : null,
    tally.suppressed > 0 ? `${tally.suppressed} suppressed` : null,
  ];
  return {
    summary: `${parts.filter(Boolean).join(", ")}.`,
    links: [{ label: "Outbox", href: "/settings/outbox" }],
  };
}
