import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "../config.ts";

export type { Logger };

/** Field names whose values never reach a log line, wherever they appear. */
const redactedPaths = [
  "password",
  "token",
  "secret",
  "secretKey",
  "authorization",
  "cookie",
  "apiKey",
  "*.password",
  "*.token",
  "*.secret",
  "*.secretKey",
  "*.authorization",
  "*.cookie",
  "*.apiKey",
  "headers.authorization",
  "headers.cookie",
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
