import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "../config.ts";

export type { Logger };

/**
 * Fields whose values never reach a log line. Top-level and exact paths only: pino's wildcard
 * paths (`*.token`) cost a third of request throughput (bench/RESULTS.md), and the code never
 * logs whole request or user objects, so secrets could only appear under these names.
 */
const redactedPaths = [
  "password",
  "token",
  "secret",
  "secretKey",
  "authorization",
  "cookie",
  "apiKey",
  "key",
  "headers.authorization",
  "headers.cookie",
  "err.config.headers",
];

/** One JSON object per line on stdout (journald keeps them), secrets redacted. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "opsbox" },
      messageKey: "msg",
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactedPaths, censor: "[redacted]" },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
