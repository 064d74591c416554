type Listener = (key: string) => void;
const listeners = new Set<Listener>();

/** Tells whoever uses grant `key` (an inbound mailbox's worker) that it was connected or removed. */
export function announceGrantChange(key: string): void {
  for (const listener of listeners) listener(key);
}

/** Subscribes to grant changes; answers the unsubscribe. */
export function onGrantChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
