/**
 * The in-process bus: it carries only "organisation X has new events". Readers then fetch
 * what is new from domain_events after the last seq they saw, so a rolled-back write delivers
 * nothing, a slow reader loses nothing, and a resumed stream is the same code path.
 */
type Listener = (orgId: string) => void;

const listeners = new Set<Listener>();
const pending = new Set<string>();
let scheduled = false;

/** Calls `listener` with an organisation id whenever events of it were committed. */
export function subscribeToEvents(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Announces new events of an organisation. Delivery waits for the current synchronous work
 * (a bun:sqlite transaction) to finish, and bursts of writes coalesce into one call.
 */
export function announceEvents(orgId: string): void {
  pending.add(orgId);
  if (scheduled) return;
  scheduled = true;
  setTimeout(deliver, 0);
}

function deliver(): void {
  scheduled = false;
  const orgIds = [...pending];
  pending.clear();
  for (const orgId of orgIds) {
    for (const listener of listeners) {
      try {
        listener(orgId);
      } catch {
        // One broken reader must not starve the others; readers log their own failures.
      }
    }
  }
}

export function eventListenerCount(): number {
  return listeners.size;
}
