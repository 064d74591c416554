import type { Hono } from "hono";
import pkg from "../../package.json" with { type: "json" };
import { type RouteDoc, routeDocOf } from "./api-doc.ts";
import type { AppDeps } from "./env.ts";
import { errorStatus } from "./errors.ts";
import {
  errorResponseComponents,
  errorResponses,
  errorSchema,
  type JsonSchema,
  securitySchemes,
} from "./openapi-components.ts";
import { contentOf, jsonSchemaOf, mergeParameters, objectParameters } from "./openapi-schemas.ts";
import { sessionCookieName } from "./session-cookie.ts";

export const API_BASE = "/api/v1";

export type OpenApiParameter = {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
};

export type OpenApiOperation = {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  "x-required-permission"?: string;
  /** Who may call it: `public`, `signed_in`, `instance_admin` or `permission`. */
  "x-access": Access;
};

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
};

type Access = "public" | "signed_in" | "instance_admin" | "permission";
type AnyHono = Pick<Hono, "routes">;

/** What the route walk learns about one method + path: its docs merged over all its handlers. */
type RouteFacts = {
  method: string;
  path: string;
  doc: RouteDoc;
  validations: NonNullable<RouteDoc["validation"]>[];
  access: Access;
};

/**
 * Builds the OpenAPI 3.1 document from the app's own routes: every route under /api/v1, with
 * what its middleware says about it (validate → request schema, requirePermission → the
 * permission, apiDoc → summary, tags, responses). Nothing here is written by hand per route.
 */
export function buildOpenApiDocument(app: AnyHono, options: { baseUrl: string }): OpenApiDocument {
  const shared: Record<string, JsonSchema> = { Error: errorSchema };
  const paths: OpenApiDocument["paths"] = {};
  const tagNames = new Set<string>();
  for (const facts of collectRoutes(app)) {
    const { path, parameters: pathParameters } = openApiPath(facts.path);
    const operation = operationOf(facts, pathParameters, shared);
    for (const tag of operation.tags) tagNames.add(tag);
    paths[path] ??= {};
    (paths[path] as Record<string, OpenApiOperation>)[facts.method.toLowerCase()] = operation;
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Opsbox API",
      version: pkg.version,
      description:
        "The JSON API of Opsbox. Authenticate with an API key (`Authorization: Bearer obx_…`). Lists take `limit` " +
        "(default 50, max 200) and an opaque `cursor` and answer `{ data, nextCursor }`. Errors share one shape " +
        "(`Error`). Single resources carry an `ETag`; `PATCH` honours `If-Match`.",
    },
    servers: [{ url: options.baseUrl }],
    tags: [...tagNames].sort().map((name) => ({ name })),
    paths,
    components: {
      schemas: shared,
      responses: errorResponseComponents(),
      securitySchemes: securitySchemes(sessionCookieName(options.baseUrl)),
    },
  };
}

function collectRoutes(app: AnyHono): RouteFacts[] {
  const byKey = new Map<string, RouteFacts>();
  for (const route of app.routes) {
    if (route.method === "ALL" || !(route.path === API_BASE || route.path.startsWith(`${API_BASE}/`))) continue;
    const key = `${route.method} ${route.path}`;
    let facts = byKey.get(key);
    if (!facts) {
      facts = { method: route.method, path: route.path, doc: {}, validations: [], access: "public" };
      byKey.set(key, facts);
    }
    const doc = routeDocOf(route.handler);
    if (doc?.validation) facts.validations.push(doc.validation);
    if (doc?.permission) facts.access = "permission";
    facts.doc = { ...facts.doc, ...doc, validation: undefined };
    // requireAuth() and requireInstanceAdmin() carry no documentation of their own; their names do.
    const name = route.handler.name;
    if (facts.access === "public" && name === "requireAuth") facts.access = "signed_in";
    if (facts.access !== "permission" && name === "requireInstanceAdmin") facts.access = "instance_admin";
  }
  return [...byKey.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/** `/tasks/:id{[a-z0-9_]+}` → `/tasks/{id}` and its path parameters. */
export function openApiPath(path: string): { path: string; parameters: OpenApiParameter[] } {
  const parameters: OpenApiParameter[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, (_match, name: string) => {
    parameters.push({ name, in: "path", required: true, schema: { type: "string" } });
    return `{${name}}`;
  });
  return { path: converted, parameters };
}

function operationOf(
  facts: RouteFacts,
  pathParameters: OpenApiParameter[],
  shared: Record<string, JsonSchema>,
): OpenApiOperation {
  const { doc, method, path } = facts;
  const parameters = [...pathParameters];
  let requestBody: OpenApiOperation["requestBody"];
  for (const { target, schema } of facts.validations) {
    if (target === "json" || target === "form" || target === "multipart") {
      const contentType =
        target === "json"
          ? "application/json"
          : target === "multipart"
            ? "multipart/form-data"
            : "application/x-www-form-urlencoded";
      requestBody = { required: true, content: { [contentType]: { schema: jsonSchemaOf(schema, "input", shared) } } };
    } else if (target === "query" || target === "param" || target === "header") {
      const where = target === "param" ? "path" : target;
      mergeParameters(parameters, objectParameters(jsonSchemaOf(schema, "input", shared), where));
    }
  }
  const permission = facts.access === "permission" ? doc.permission : undefined;
  const description = [doc.description, accessLine(facts.access, permission)].filter(Boolean).join("\n\n");
  return {
    operationId: operationIdOf(method, path),
    summary: doc.summary ?? `${method} ${path}`,
    ...(description ? { description } : {}),
    tags: doc.tags?.length ? doc.tags : [defaultTag(path)],
    ...(permission ? { "x-required-permission": permission } : {}),
    "x-access": facts.access,
    security: facts.access === "public" ? [] : [{ apiKey: [] }, { session: [] }],
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(facts, doc, shared, pathParameters.length > 0, requestBody !== undefined),
  };
}

/** The operation description's last paragraph: who may call it. */
export function accessLine(access: Access, permission: string | undefined): string {
  if (access === "permission") return `Requires the \`${permission}\` permission.`;
  if (access === "signed_in") return "Requires a signed-in caller (any role).";
  if (access === "instance_admin") return "Only the box's instance admin (with `settings.manage`).";
  return "";
}

function responsesOf(
  facts: RouteFacts,
  doc: RouteDoc,
  shared: Record<string, JsonSchema>,
  hasPathId: boolean,
  hasBody: boolean,
): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  for (const [status, response] of Object.entries(doc.responses ?? {})) {
    const entry: Record<string, unknown> = { description: response.description };
    if (response.schema || response.contentType) entry.content = contentOf(response, shared);
    responses[status] = entry;
  }
  if (!Object.keys(responses).some((status) => status.startsWith("2"))) {
    responses[facts.method === "POST" ? "2XX" : "200"] = { description: "Success." };
  }
  const errors = new Set<keyof typeof errorResponses>();
  if (hasBody)
    for (const code of ["bad_request", "payload_too_large", "unsupported_media_type"] as const) errors.add(code);
  if (facts.access !== "public") {
    errors.add("unauthenticated");
    errors.add("rate_limited");
  }
  if (facts.access === "permission" || facts.access === "instance_admin") errors.add("forbidden");
  if (hasPathId) errors.add("not_found");
  if (facts.method === "PATCH") errors.add("precondition_failed");
  if (facts.validations.length) errors.add("validation_failed");
  for (const code of errors) {
    const entry = errorResponses[code];
    const status = String(errorStatus[code]);
    if (entry && !(status in responses)) responses[status] = { $ref: `#/components/responses/${entry.name}` };
  }
  // Success first, then the errors by status.
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
}

/** `GET /api/v1/tasks/:id/comments` → `getTasksIdComments`: stable and unique per method + path. */
function operationIdOf(method: string, path: string): string {
  const words = path
    .slice(API_BASE.length)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((word) => word[0]?.toUpperCase() + word.slice(1))].join("");
}

/** Routes without tags are grouped by their first path segment: `/api/v1/me/sessions` → "Me". */
function defaultTag(path: string): string {
  const segment = path.slice(API_BASE.length).split("/").find(Boolean) ?? "API";
  const words = segment.split(/[-_.]/).filter(Boolean);
  return words.map((word, index) => (index === 0 ? word[0]?.toUpperCase() + word.slice(1) : word)).join(" ");
}

/*
 * One document per app, built on first request: the app registers itself once all routes are
 * mounted (server/app.ts), and tests that build several apps get one document each.
 */
const sources = new WeakMap<
  AppDeps,
  { app: AnyHono; built?: { document: OpenApiDocument; json: string; etag: string } }
>();

/** Lets the document see the app's routes; called by createApp. */
export function setOpenApiSource(deps: AppDeps, app: AnyHono): void {
  sources.set(deps, { app });
}

/** The app's document, its JSON text and a strong ETag; null before setOpenApiSource. */
export function openApiDocumentFor(deps: AppDeps): { document: OpenApiDocument; json: string; etag: string } | null {
  const source = sources.get(deps);
  if (!source) return null;
  if (!source.built) {
    const document = buildOpenApiDocument(source.app, { baseUrl: deps.config.baseUrl });
    const json = JSON.stringify(document);
    const etag = `"${new Bun.CryptoHasher("sha256").update(json).digest("base64url").slice(0, 27)}"`;
    source.built = { document, json, etag };
  }
  return source.built;
}
