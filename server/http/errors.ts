import type { z } from "zod";

/** Codes of the standard error shape and the HTTP status each one answers with. */
export const errorStatus = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  already_set_up: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export type ErrorDetail = { path: string; message: string; code?: string };

/** The one error type: services throw it, the HTTP layer turns it into the error shape. */
export class AppError extends Error {
  override name = "AppError";
  readonly status: ErrorStatus;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

/**
 * The 404 of a record the caller cannot see, whether it does not exist or belongs to another
 * organisation (the same answer, so ids cannot be probed): `notFound("team")` → "No such team."
 */
export function notFound(thing: string): AppError {
  return new AppError("not_found", `No such ${thing}.`);
}

/** Maps a status without a more precise cause to its code, for errors raised by middleware. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 409) return "conflict";
  const found = Object.entries(errorStatus).find(([, value]) => value === status);
  if (found) return found[0] as ErrorCode;
  return status >= 500 ? "internal" : "bad_request";
}

/** Turns zod issues into field details: `lines.0.quantity` → "must be positive". */
export function detailsFromZod(error: z.core.$ZodError | z.core.$ZodIssue[]): ErrorDetail[] {
  const issues = Array.isArray(error) ? error : error.issues;
  return issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
    code: issue.code,
  }));
}

export function validationFailed(error: z.core.$ZodError | z.core.$ZodIssue[]): AppError {
  return new AppError("validation_failed", "The request is not valid.", detailsFromZod(error));
}
