// Every table, for drizzle-kit and for the typed query API. One file per capability.
export * from "./audit.ts";
export * from "./identity.ts";
export * from "./instance.ts";
export * from "./mail.ts";
