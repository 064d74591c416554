import { mailMessages } from "../../models/mail.ts";
import { testMail } from "../../views/mail/test-mail.tsx";
import type { Queryable } from "../db.ts";
import { AppError } from "../http/errors.ts";
import { newId } from "../tools/ids.ts";
import type { Keyring } from "../tools/secrets.ts";
import { DEFAULT_BACKOFF, messageIdHeaderFor, providerMessageOf, recordOutcome } from "./delivery.ts";
import { createProvider, type ProviderOverrides } from "./providers/provider.ts";
import { readTransportSettings } from "./settings.ts";
import type { TestMessageResult } from "./settings-schema.ts";

export type TestMessageInput = { to: string; orgId: string | null; sentBy: string };

/**
 * Sends a test message through the configured provider at once (not through the queue) and
 * answers what the provider said, word for word. The message is kept in the outbox like any
 * other; a temporary failure is reported, not retried.
 */
export async function sendTestMessage(
  deps: { db: Queryable; keyring: Keyring },
  input: TestMessageInput,
  overrides: ProviderOverrides = {},
): Promise<TestMessageResult> {
  const settings = readTransportSettings(deps.db, deps.keyring);
  if (!settings)
    throw new AppError("conflict", "No e-mail provider is configured: mail goes to the draft log. Choose one first.");
  const now = new Date();
  const id = newId("msg", now.getTime());
  const mail = testMail({ sentBy: input.sentBy, provider: settings.provider });
  const message = deps.db
    .insert(mailMessages)
    .values({
      id,
      orgId: input.orgId,
      toAddress: input.to,
      subject: mail.subject,
      textBody: mail.text,
      htmlBody: mail.html,
      template: "mail_test",
      kind: "essential",
      status: "sending",
      attempts: 1,
      provider: settings.provider,
      messageIdHeader: messageIdHeaderFor(id, settings.from),
      queuedAt: now,
      createdAt: now,
    })
    .returning()
    .get();
  const provider = createProvider(settings, deps, overrides);
  try {
    const outcome = await provider.send(providerMessageOf(message));
    const policy = { backoff: DEFAULT_BACKOFF, giveUpAfterMs: 0, retry: false };
    recordOutcome(deps.db, message, outcome, policy, new Date());
    return {
      status: outcome.status,
      provider: settings.provider,
      answer: outcome.answer,
      providerMessageId: outcome.status === "sent" ? outcome.providerMessageId : null,
      messageId: id,
    };
  } finally {
    provider.close();
  }
}
