import type { MiddlewareHandler } from "hono";
import { AppError } from "./errors.ts";

const accepted = /^(application\/([\w.+-]+\+)?json|multipart\/form-data)$/i;

/** The API speaks JSON (and multipart for uploads): any other request body is 415. */
export function apiBodyType(): MiddlewareHandler {
  return async function apiBodyType(c, next) {
    const hasBody =
      c.req.header("Content-Length") !== undefined
        ? c.req.header("Content-Length") !== "0"
        : c.req.header("Transfer-Encoding") !== undefined;
    if (hasBody) {
      const mediaType = (c.req.header("Content-Type") ?? "").split(";")[0]?.trim() ?? "";
      if (!accepted.test(mediaType)) {
        throw new AppError("unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
      }
    }
    await next();
  };
}
