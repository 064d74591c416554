/** Who listens for changed mailbox settings: the workers of this process (tests run several apps in one process). */
const listeners = new Set<(orgId: string) => void>();

/** Tells the workers that an organisation's mailbox settings changed, so it connects again with them. */
export function announceInboxChange(orgId: string): void {
  for (const listener of listeners) listener(orgId);
}

/** Registers a listener; returns the function that removes it. */
export function onInboxChange(listener: (orgId: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
