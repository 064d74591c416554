import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { AppError } from "./errors.ts";

/** Refuses bodies over `maxBytes` with 413, whether or not the client declared a length. */
export function bodyLimit(maxBytes: number) {
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("payload_too_large", `The request body is larger than the limit of ${formatBytes(maxBytes)}.`);
    },
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}
