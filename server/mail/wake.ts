/** Wake-ups for the outbox workers of this process (tests run several apps in one process). */
const workers = new Set<() => void>();

/** Tells every outbox worker of this process that a message may be waiting. */
export function wakeOutboxWorkers(): void {
  for (const wake of workers) wake();
}

/** Registers a worker's wake-up; returns the function that removes it. */
export function onOutboxWake(wake: () => void): () => void {
  workers.add(wake);
  return () => workers.delete(wake);
}
