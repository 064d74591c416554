import type { MailMessage } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import { readAttachments } from "./attachments.ts";
import { type Backoff, claimNextMessage, providerMessageOf, recordOutcome } from "./delivery.ts";
import type { MailProvider, SendOutcome, TransportSettings } from "./providers/types.ts";
import { suppressionReason } from "./suppression.ts";

export type Delivered = { message: MailMessage; status: MailMessage["status"]; answer: string };

/**
 * One step of the outbox, on the clock `now` (tests move it by hand): claims the next due message, asks the suppression check,
 * reads its attachments from `dataDir`, hands it to the provider and writes the answer. Null when nothing is due.
 */
export async function deliverNextMessage(
  db: Queryable,
  current: { settings: TransportSettings; provider: MailProvider },
  backoff: Backoff,
  now: () => Date,
  dataDir: string | null = null,
): Promise<Delivered | null> {
  const { settings, provider } = current;
  const message = claimNextMessage(db, provider.name, settings.from, now());
  if (!message) return null;
  const policy = { backoff, giveUpAfterMs: settings.giveUpAfterHours * 3_600_000, retry: true };
  const outcome = await attempt(db, provider, message, dataDir);
  const status = recordOutcome(db, message, outcome, policy, now());
  return { message, status, answer: outcome.answer };
}

async function attempt(
  db: Queryable,
  provider: MailProvider,
  message: MailMessage,
  dataDir: string | null,
): Promise<SendOutcome> {
  const suppressed = suppressionReason(db, message);
  if (suppressed) return { status: "permanent_failure", answer: `Not sent: ${suppressed}` };
  const files = readAttachments(db, dataDir, message.id);
  // Retrying cannot bring a lost file back: the message fails and says which file is gone.
  if (!files.ok) return { status: "permanent_failure", answer: `Not sent: the attachment ${files.missing} is missing` };
  return provider.send(providerMessageOf(message, files.attachments));
}
