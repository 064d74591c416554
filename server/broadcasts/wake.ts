import { wakeUps } from "../tools/wake-ups.ts";

const deliveryJobs = wakeUps();

/** Tells every broadcast delivery job of this process that a broadcast waits to be delivered. */
export const wakeBroadcastDelivery = deliveryJobs.wake;

/** Registers a job's wake-up; returns the function that removes it. */
export const onBroadcastWake = deliveryJobs.on;
