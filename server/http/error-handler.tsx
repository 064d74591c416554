import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ErrorPage } from "../../views/pages/error-page.tsx";
import type { AppEnv } from "./env.ts";
import { AppError, codeForStatus, type ErrorCode } from "./errors.ts";
import { renderPage } from "./render.tsx";

const titles: Partial<Record<ErrorCode, string>> = {
  bad_request: "The request could not be read",
  unauthenticated: "Please sign in",
  forbidden: "You do not have access to this",
  not_found: "Page not found",
  payload_too_large: "That upload is too large",
  rate_limited: "Too many requests",
  internal: "Something went wrong on our side",
  unavailable: "Opsbox is not available right now",
};

/** JSON endpoints answer the standard error shape; everything else is a console page. */
function wantsJson(c: Context): boolean {
  const path = c.req.path;
  return path === "/api" || path.startsWith("/api/") || path === "/healthz" || path === "/readyz";
}

/** Hono raises HTTPException from its own middleware; give each a precise, stable message. */
function fromHttpException(error: HTTPException): AppError {
  const code = codeForStatus(error.status);
  if (error.status === 400 && /json/i.test(error.message)) {
    return new AppError("bad_request", "The request body is not valid JSON.");
  }
  return new AppError(code, error.message || titles[code] || "The request failed.");
}

export function errorResponse(c: Context<AppEnv>, error: AppError): Response | Promise<Response> {
  const requestId = c.get("requestId") ?? "";
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
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
    />
  );
  return renderPage(c, { title: titles[error.code] ?? "Error", bare: true }, body, error.status);
}

/** The one place errors become responses. Unknown errors are logged in full and answered without detail. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  if (error instanceof AppError) return errorResponse(c, error);
  if (error instanceof HTTPException) return errorResponse(c, fromHttpException(error));
  (c.get("log") ?? console).error({ err: error }, "unhandled error");
  return errorResponse(c, new AppError("internal", "An unexpected error occurred. It has been logged."));
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) => {
  const message = wantsJson(c)
    ? `No such endpoint: ${c.req.method} ${c.req.path}`
    : "There is no page at this address.";
  return errorResponse(c, new AppError("not_found", message));
};
