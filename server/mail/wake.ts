import { wakeUps } from "../tools/wake-ups.ts";

/** Wake-ups for the outbox workers of this process (tests run several apps in one process). */
const outboxWorkers = wakeUps();

/** Tells every outbox worker of this process that a message may be waiting. */
export const wakeOutboxWorkers = outboxWorkers.wake;

/** Registers a worker's wake-up; returns the function that removes it. */
export const onOutboxWake = outboxWorkers.on;
