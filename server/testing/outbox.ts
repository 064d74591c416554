import { eq } from "drizzle-orm";
import { type MailMessage, mailMessages } from "../../models/mail.ts";
import type { Queryable } from "../db.ts";

/**
 * Waits until the outbox message `id` has `status` (the worker writes it just after the server's
 * answer) and returns it; fails naming the status it is stuck in.
 */
export async function untilMailStatus(
  db: Queryable,
  id: string,
  status: MailMessage["status"],
  ms = 10_000,
): Promise<MailMessage> {
  const deadline = Date.now() + ms;
  for (;;) {
    const message = db.select().from(mailMessages).where(eq(mailMessages.id, id)).get();
    if (message?.status === status) return message;
    if (Date.now() > deadline) throw new Error(`message ${id} is ${message?.status ?? "missing"}, not ${status}`);
    await Bun.sleep(20);
  }
}
