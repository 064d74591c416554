import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { formatBytes } from "../tools/bytes.ts";
import { AppError } from "./errors.ts";

/**
 * Refuses bodies over `maxBytes` with 413, whether or not the client declared a length.
 * `except` names requests that enforce a limit of their own (document uploads stream to disk
 * under OPSBOX_MAX_UPLOAD_BYTES).
 */
export function bodyLimit(maxBytes: number, options: { except?: (c: Context) => boolean } = {}): MiddlewareHandler {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError(
        "payload_too_large",
        `The request body is larger than the limit of ${formatBytes(maxBytes, 1024)}.`,
      );
    },
  });
  const except = options.except;
  if (!except) return limit;
  return async function bodyLimit(c, next) {
    if (except(c)) return next();
    return limit(c, next);
  };
}
