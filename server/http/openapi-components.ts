import { type ErrorCode, errorStatus } from "./errors.ts";

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = Record<string, unknown>;

/** The standard error shape of docs/architecture.md: every 4xx/5xx of the API answers it. */
export const errorSchema: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "requestId"],
      properties: {
        code: { type: "string", enum: Object.keys(errorStatus), description: "Stable, machine-readable." },
        message: { type: "string", description: "For people; may change." },
        requestId: { type: "string", description: "Also in the X-Request-Id header and the server's logs." },
        details: {
          type: "array",
          description: "Field errors of a 422 `validation_failed`.",
          items: {
            type: "object",
            required: ["path", "message"],
            properties: {
              path: { type: "string", examples: ["lines.0.quantity"] },
              message: { type: "string" },
              code: { type: "string" },
            },
          },
        },
      },
    },
  },
};

/** The shared error responses, referenced by each operation that can answer them. */
export const errorResponses: Partial<Record<ErrorCode, { name: string; description: string }>> = {
  bad_request: { name: "BadRequest", description: "The body is not valid JSON (`bad_request`)." },
  unauthenticated: {
    name: "Unauthenticated",
    description: "No API key or session, or one that is not valid (`unauthenticated`).",
  },
  forbidden: {
    name: "Forbidden",
    description: "The caller's role or the key's scopes do not allow this (`forbidden`).",
  },
  not_found: {
    name: "NotFound",
    description:
      "No such resource in the caller's organisation; another organisation's is answered the same (`not_found`).",
  },
  conflict: { name: "Conflict", description: "The change conflicts with the resource's state (`conflict`)." },
  precondition_failed: {
    name: "PreconditionFailed",
    description: "The `If-Match` ETag is stale: read the resource again (`precondition_failed`).",
  },
  payload_too_large: { name: "PayloadTooLarge", description: "The body is too large (`payload_too_large`)." },
  unsupported_media_type: {
    name: "UnsupportedMediaType",
    description: "The body is not `application/json` (`unsupported_media_type`).",
  },
  validation_failed: {
    name: "ValidationFailed",
    description: "The request is not valid; `details` names each field (`validation_failed`).",
  },
  rate_limited: {
    name: "RateLimited",
    description: "Too many requests; wait for `Retry-After` seconds (`rate_limited`).",
  },
};

export function errorResponseComponents(): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const entry of Object.values(errorResponses)) {
    responses[entry.name] = {
      description: entry.description,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return responses;
}

export function securitySchemes(sessionCookieName: string): Record<string, unknown> {
  return {
    apiKey: {
      type: "http",
      scheme: "bearer",
      bearerFormat: "obx_<prefix>_<secret>",
      description: "An API key from Settings → API keys: `Authorization: Bearer obx_…`. Its scopes limit it further.",
    },
    session: {
      type: "apiKey",
      in: "cookie",
      name: sessionCookieName,
      description:
        "The console's session cookie. State-changing requests with it must also pass the CSRF checks (same Origin).",
    },
  };
}
