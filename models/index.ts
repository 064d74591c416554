// Every table, for drizzle-kit and for the typed query API. One file per capability.
export * from "./instance.ts";
