/** Wake-ups for the job runtimes of this process (tests run several boxes in one process). */
const runtimes = new Set<() => void>();

/** Tells every box of this process that ingestion work may be waiting (called after enqueueing). */
export function wakeIngestionWorkers(): void {
  for (const wake of runtimes) wake();
}

/** Registers a runtime's wake-up (main.ts: the job scheduler's); returns the function that removes it. */
export function onIngestionWake(wake: () => void): () => void {
  runtimes.add(wake);
  return () => runtimes.delete(wake);
}
