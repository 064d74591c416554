/** Wake-ups for the ingestion workers of this process (tests run several apps in one process). */
const workers = new Set<() => void>();

/** Tells every worker of this process that a job may be waiting (called after enqueueing). */
export function wakeIngestionWorkers(): void {
  for (const wake of workers) wake();
}

/** Registers a worker's wake-up; returns the function that removes it. */
export function onIngestionWake(wake: () => void): () => void {
  workers.add(wake);
  return () => workers.delete(wake);
}
