import { wakeUps } from "../tools/wake-ups.ts";

/** Wake-ups for the job runtimes that send the outbox in this process (tests run several apps in one process). */
const outboxWorkers = wakeUps();

/** Tells every outbox job of this process that a message may be waiting (called after queueing). */
export const wakeOutboxWorkers = outboxWorkers.wake;

/** Registers a runtime's wake-up (main.ts: the job scheduler's); returns the function that removes it. */
export const onOutboxWake = outboxWorkers.on;
