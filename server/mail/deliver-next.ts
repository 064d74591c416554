import type { MailMessage } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import { type Backoff, claimNextMessage, providerMessageOf, recordOutcome } from "./delivery.ts";
import type { MailProvider, TransportSettings } from "./providers/types.ts";
import { suppressionReason } from "./suppression.ts";

/** How the answer of a message the suppression check stopped begins (its status is `failed`). */
export const SUPPRESSED_ANSWER_PREFIX = "Not sent: ";

export type Delivered = { message: MailMessage; status: MailMessage["status"]; answer: string };

/**
 * One step of the outbox, on the clock `now` (tests move it by hand): claims the next due message, asks the suppression check,
 * hands it to the provider and writes the answer. Null when nothing is due.
 */
export async function deliverNextMessage(
  db: Queryable,
  current: { settings: TransportSettings; provider: MailProvider },
  backoff: Backoff,
  now: () => Date,
): Promise<Delivered | null> {
  const { settings, provider } = current;
  const message = claimNextMessage(db, provider.name, settings.from, now());
  if (!message) return null;
  const policy = { backoff, giveUpAfterMs: settings.giveUpAfterHours * 3_600_000, retry: true };
  const suppressed = suppressionReason(db, message);
  const outcome = suppressed
    ? ({ status: "permanent_failure", answer: `${SUPPRESSED_ANSWER_PREFIX}${suppressed}` } as const)
    : await provider.send(providerMessageOf(message));
  const status = recordOutcome(db, message, outcome, policy, now());
  return { message, status, answer: outcome.answer };
}
