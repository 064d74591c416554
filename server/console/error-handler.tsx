/** @jsxImportSource hono/jsx */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ErrorPage } from "../../views/pages/error-page.tsx";
import { insufficientStorage, isDiskFullError } from "../http/disk-space.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError, codeForStatus, type ErrorCode } from "../http/errors.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { localPath } from "../http/local-path.ts";
import { renderPage } from "./render.tsx";

const titles: Partial<Record<ErrorCode, string>> = {
  bad_request: "The request could not be read",
  unauthenticated: "Please sign in",
  forbidden: "You do not have access to this",
  not_found: "Page not found",
  payload_too_large: "That upload is too large",
  validation_failed: "Some of what you sent cannot be used",
  rate_limited: "Too many requests",
  internal: "Something went wrong on our side",
  unavailable: "Opsbox is not available right now",
  insufficient_storage: "The disk is full",
};

/** JSON endpoints answer the standard error shape; everything else is a console page. */
function wantsJson(c: Context): boolean {
  const path = c.req.path;
  return (
    path === "/api" || path.startsWith("/api/") || path === "/healthz" || path === "/readyz" || path === "/metrics"
  );
}

/** Hono raises HTTPException from its own middleware; give each a precise, stable message. */
function fromHttpException(error: HTTPException): AppError {
  const code = codeForStatus(error.status);
  if (error.status === 400 && /json/i.test(error.message)) {
    return new AppError("bad_request", "The request body is not valid JSON.");
  }
  return new AppError(code, error.message || titles[code] || "The request failed.");
}

/** Where a console request without (full) access is sent instead of an error page. */
function consoleRedirect(c: Context<AppEnv>, error: AppError): string | null {
  if (error.code === "unauthenticated") {
    const next = c.req.method === "GET" ? c.req.path : (c.req.header("HX-Current-URL") ?? "/");
    return `/sign-in?next=${encodeURIComponent(localPath(next))}`;
  }
  const pending = c.get("auth")?.pending;
  if (error.code === "forbidden" && pending === "two_factor") return "/sign-in/two-factor";
  if (error.code === "forbidden" && pending === "two_factor_enrolment") return "/account/two-factor/setup";
  return null;
}

export function errorResponse(c: Context<AppEnv>, error: AppError): Response | Promise<Response> {
  const requestId = c.get("requestId") ?? "";
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const redirect = wantsJson(c) ? null : consoleRedirect(c, error);
  if (redirect) {
    if (isHtmxRequest(c)) {
      c.header("HX-Redirect", redirect);
      return c.body(null, 200);
    }
    return c.redirect(redirect, 303);
  }
  if (wantsJson(c)) {
    return c.json(
      {
        error: {
          code: error.code,
          message: error.message,
          requestId,
          ...(error.details.length > 0 ? { details: error.details } : {}),
        },
      },
      error.status,
    );
  }
  const body = (
    <ErrorPage
      status={error.status}
      title={titles[error.code] ?? "The request failed"}
      message={error.message}
      requestId={requestId}
      details={error.details}
    />
  );
  return renderPage(c, { title: titles[error.code] ?? "Error", bare: true }, body, error.status);
}

/** The one place errors become responses. Unknown errors are logged in full and answered without detail. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof AppError) return errorResponse(c, error);
  if (error instanceof HTTPException) return errorResponse(c, fromHttpException(error));
  // ENOSPC or SQLITE_FULL: nothing was saved (the transaction rolled back), and the person is told why.
  if (isDiskFullError(error)) {
    (c.get("log") ?? console).warn({ err: error }, "the disk is full: a write was refused");
    return errorResponse(c, insufficientStorage());
  }
  (c.get("log") ?? console).error({ err: error }, "unhandled error");
  return errorResponse(c, new AppError("internal", "An unexpected error occurred. It has been logged."));
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) => {
  const message = wantsJson(c)
    ? `No such endpoint: ${c.req.method} ${c.req.path}`
    : "There is no page at this address.";
  return errorResponse(c, new AppError("not_found", message));
};
