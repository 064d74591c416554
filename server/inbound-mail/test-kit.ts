import { and, eq } from "drizzle-orm";
import { mailInboundMessages } from "../../models/mail-inbound.ts";
import type { TestApp } from "../testing/harness.ts";
import type { InboundDeps } from "./import.ts";
import type { ReplyTargets } from "./replies.ts";

/** Test helpers of the inbound mail tests: raw messages and waiting for the worker. */

export type TestMessage = {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  text: string;
  attachments?: { name: string; type: string; bytes: Uint8Array }[];
};

/** An RFC 822 message as a mail client writes it: a text part and base64 attachments. */
export function rawMessage(message: TestMessage): string {
  const head = [
    `From: ${message.from}`,
    `To: ${message.to}`,
    `Subject: ${message.subject}`,
    `Message-ID: <${message.messageId}>`,
    "Date: Tue, 03 Mar 2026 10:04:00 +0000",
    "MIME-Version: 1.0",
  ];
  if (!message.attachments?.length)
    return [...head, "Content-Type: text/plain; charset=utf-8", "", message.text, ""].join("\r\n");
  const boundary = "opsbox-test-boundary";
  const parts = [
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    message.text,
    ...message.attachments.flatMap((attachment) => [
      `--${boundary}`,
      `Content-Type: ${attachment.type}; name="${attachment.name}"`,
      `Content-Disposition: attachment; filename="${attachment.name}"`,
      "Content-Transfer-Encoding: base64",
      "",
      ...(Buffer.from(attachment.bytes)
        .toString("base64")
        .match(/.{1,76}/g) ?? []),
    ]),
    `--${boundary}--`,
    "",
  ];
  return [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...parts].join("\r\n");
}

/** What taking in a message needs, from a test's box (main.ts hands down the same reply targets). */
export function inboundDepsOf(box: TestApp, replyTargets: ReplyTargets): InboundDeps {
  return {
    db: box.deps.db,
    keyring: box.deps.keyring,
    log: box.deps.log,
    dataDir: box.dataDir,
    maxUploadBytes: box.config.maxUploadBytes,
    replyTargets,
  };
}

/** The messages an organisation has taken in. */
export function inboundMessagesOf(box: TestApp, orgId: string) {
  return box.deps.db.select().from(mailInboundMessages).where(eq(mailInboundMessages.orgId, orgId)).all();
}

/** The record of one message, by its Message-ID. */
export function inboundMessage(box: TestApp, orgId: string, messageId: string) {
  return box.deps.db
    .select()
    .from(mailInboundMessages)
    .where(and(eq(mailInboundMessages.orgId, orgId), eq(mailInboundMessages.messageId, messageId)))
    .get();
}

/** Polls `check` until it gives a value (not null, undefined or false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null && value !== undefined && value !== false) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}
