import type { MailMessage } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";
import { readAttachments } from "./attachments.ts";
import {
  type Backoff,
  claimNextMessage,
  type MailScope,
  providerMessageOf,
  recordOutcome,
  recordSuppressed,
} from "./delivery.ts";
import type { MailProvider, SendOutcome, TransportSettings } from "./providers/types.ts";
import { suppressionReason } from "./suppression.ts";
import { type UnsubscribeLinks, withUnsubscribeLink } from "./unsubscribe-links.ts";

export type Delivered = { message: MailMessage; status: MailMessage["status"]; answer: string };

/**
 * One step of the outbox, on the clock `now` (tests move it by hand): claims the next due message,
 * asks the suppression list (a suppressed message is never handed over), reads its attachments
 * from `dataDir`, adds the unsubscribe link to non-essential mail (the worker always passes
 * `links`), hands it to the provider and writes the answer. With `scope`, only that organisation's
 * (or the box's own) messages. Null when nothing is due.
 */
export async function deliverNextMessage(
  db: Queryable,
  current: { settings: TransportSettings; provider: MailProvider },
  backoff: Backoff,
  now: () => Date,
  links?: UnsubscribeLinks,
  dataDir: string | null = null,
  scope?: MailScope,
): Promise<Delivered | null> {
  const { settings, provider } = current;
  const message = claimNextMessage(db, provider.name, settings.from, now(), scope);
  if (!message) return null;
  const suppressed = suppressionReason(db, message);
  if (suppressed) return { message, status: recordSuppressed(db, message, suppressed), answer: suppressed };
  const policy = { backoff, giveUpAfterMs: settings.giveUpAfterHours * 3_600_000, retry: true };
  const outcome = await attempt(provider, message, { db, dataDir, links, now: now() });
  const status = recordOutcome(db, message, outcome, policy, now());
  return { message, status, answer: outcome.answer };
}

type AttemptDeps = { db: Queryable; dataDir: string | null; links: UnsubscribeLinks | undefined; now: Date };

async function attempt(provider: MailProvider, message: MailMessage, deps: AttemptDeps): Promise<SendOutcome> {
  const files = readAttachments(deps.db, deps.dataDir, message.id);
  // Retrying cannot bring a lost file back: the message fails and says which file is gone.
  if (!files.ok) return { status: "permanent_failure", answer: `Not sent: the attachment ${files.missing} is missing` };
  const plain = providerMessageOf(message, files.attachments);
  return provider.send(deps.links ? withUnsubscribeLink(plain, message, deps.links, deps.now) : plain);
}
