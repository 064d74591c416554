// Every table, for drizzle-kit and for the typed query API. One file per capability.
export * from "./agents.ts";
export * from "./ai.ts";
export * from "./approvals.ts";
export * from "./audit.ts";
export * from "./backup.ts";
export * from "./billing.ts";
export * from "./events.ts";
export * from "./identity.ts";
export * from "./instance.ts";
export * from "./jobs.ts";
export * from "./knowledge.ts";
export * from "./mail.ts";
export * from "./mail-inbound.ts";
export * from "./notifications.ts";
export * from "./summaries.ts";
export * from "./time.ts";
export * from "./work.ts";
