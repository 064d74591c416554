import { onGrantChange } from "../mail/oauth/events.ts";
import type { InboundDeps } from "./import.ts";
import { MailboxWorker } from "./mailbox-worker.ts";
import { findInbox, listEnabledInboxes } from "./settings.ts";
import { onInboxChange } from "./wake.ts";

export type InboundMail = { stop: () => Promise<void> };

/**
 * Starts a worker for every mailbox that is switched on, and restarts an organisation's worker
 * whenever its settings are saved (a new password is tried at once). Stopped by the lifecycle.
 */
export function startInboundMail(deps: InboundDeps): InboundMail {
  const workers = new Map<string, MailboxWorker>();
  for (const inbox of listEnabledInboxes(deps.db)) workers.set(inbox.orgId, new MailboxWorker(deps, inbox.orgId));
  let changes = Promise.resolve();
  let stopped = false;
  const restart = async (orgId: string) => {
    const inbox = findInbox(deps.db, orgId);
    const old = workers.get(orgId);
    // Another box of this process (tests) may have announced it: nothing of ours changed.
    if (!inbox && !old) return;
    workers.delete(orgId);
    await old?.stop();
    if (inbox?.enabled && !stopped) workers.set(orgId, new MailboxWorker(deps, orgId));
  };
  const restartSoon = (orgId: string) => {
    changes = changes
      .then(() => restart(orgId))
      .catch((error: unknown) => {
        deps.log.error({ err: error, orgId }, "could not restart the inbound mailbox");
      });
  };
  const off = onInboxChange(restartSoon);
  // A mailbox signed in with OAuth starts again once its account is connected (again).
  const offGrants = onGrantChange((key) => {
    if (key.startsWith("inbound:")) restartSoon(key.slice("inbound:".length));
  });
  return {
    stop: async () => {
      stopped = true;
      off();
      offGrants();
      await changes;
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
    },
  };
}
