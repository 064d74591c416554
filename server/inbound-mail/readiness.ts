import type { Db } from "../db.ts";
import { listEnabledInboxes } from "./settings.ts";

export type InboundMailHealth = {
  healthy: boolean;
  mailboxes: { orgId: string; address: string; state: string; lastError: string | null; since: string | null }[];
  message?: string;
};

/**
 * The inbound mailboxes as /readyz shows them: unhealthy when one has failed (a refused password,
 * an unreachable server), with its error. Null when no mailbox is switched on.
 */
export function inboundMailHealth(db: Db): InboundMailHealth | null {
  const inboxes = listEnabledInboxes(db);
  if (inboxes.length === 0) return null;
  const mailboxes = inboxes.map((inbox) => ({
    orgId: inbox.orgId,
    address: inbox.address,
    state: inbox.state,
    lastError: inbox.lastError,
    since: inbox.lastErrorAt?.toISOString() ?? null,
  }));
  const failed = mailboxes.filter((mailbox) => mailbox.state === "failed");
  return {
    healthy: failed.length === 0,
    mailboxes,
    ...(failed.length > 0
      ? { message: `Inbound mail: ${failed.map((mailbox) => `${mailbox.address}: ${mailbox.lastError}`).join("; ")}` }
      : {}),
  };
}
