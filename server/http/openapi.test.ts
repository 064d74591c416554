import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { z } from "zod";
import { invitationInput } from "../auth/people/people-schemas.ts";
import type { TestApp } from "../testing/harness.ts";
import { createUser, sessionCookie, setUpBox } from "../testing/identity.ts";
import { startInProcessApp } from "../testing/in-process.ts";
import type { OpenApiDocument } from "./openapi.ts";
import { openApiPath } from "./openapi.ts";
import { jsonSchemaOf } from "./openapi-schemas.ts";

let box: TestApp;
let doc: OpenApiDocument;
let etag = "";

beforeAll(async () => {
  box = await startInProcessApp();
  const response = await box.fetch("/api/v1/openapi.json");
  expect(response.status).toBe(200);
  etag = response.headers.get("ETag") ?? "";
  doc = (await response.json()) as OpenApiDocument;
});
afterAll(() => box.close());

function operation(method: string, path: string) {
  const found = doc.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
}

describe("GET /api/v1/openapi.json", () => {
  test("is an OpenAPI 3.1 document with info, paths, security schemes and the error shape", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Opsbox API");
    expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(30);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["apiKey", "session"]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: "apiKey", in: "cookie" });
    const error = doc.components.schemas.Error as {
      properties: { error: { properties: { code: { enum: string[] } } } };
    };
    expect(error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["validation_failed", "not_found", "forbidden", "unauthenticated", "rate_limited"]),
    );
  });

  test("lists every /api/v1 route of the app, method and path", () => {
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    const routes = box.app.routes
      .filter((route) => route.method !== "ALL" && route.path.startsWith("/api/v1/"))
      .map((route) => `${route.method} ${openApiPath(route.path).path}`);
    expect(routes.length).toBeGreaterThan(30);
    expect([...new Set(routes)].filter((route) => !documented.has(route))).toEqual([]);
    expect(documented.size).toBe(new Set(routes).size);
  });

  test("path parameters become {name} with a required path parameter", () => {
    const getUser = operation("GET", "/api/v1/users/{id}");
    expect(getUser.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
    expect(openApiPath("/api/v1/tasks/:id/comments/:commentId").path).toBe("/api/v1/tasks/{id}/comments/{commentId}");
  });

  test("a route's request body is its zod schema: POST /api/v1/invitations requires email", () => {
    const invite = operation("POST", "/api/v1/invitations");
    const schema = invite.requestBody?.content["application/json"]?.schema as {
      required: string[];
      properties: object;
    };
    expect(schema.required).toContain("email");
    expect(schema as unknown).toEqual(jsonSchemaOf(invitationInput, "input", {}));
    expect(invite["x-required-permission"]).toBe("users.manage");
    expect(invite.description).toContain("users.manage");
    expect(Object.keys(invite.responses)).toEqual(expect.arrayContaining(["401", "403", "422"]));
  });

  test("query schemas become parameters, with their defaults", () => {
    const list = operation("GET", "/api/v1/users");
    const limit = list.parameters?.find((parameter) => parameter.name === "limit");
    expect(limit).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "integer", maximum: 200, default: 50 },
    });
    const events = operation("GET", "/api/v1/events");
    expect(events.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["types", "after", "format", "limit", "cursor"]),
    );
    expect(Object.keys(events.responses["200"] as object)).toContain("content");
  });

  test("the identity routes are there, with summaries, tags and who may call them", () => {
    expect(operation("POST", "/api/v1/auth/login")).toMatchObject({ tags: ["Authentication"], security: [] });
    expect(operation("POST", "/api/v1/auth/login").summary).toContain("Sign in");
    expect(operation("GET", "/api/v1/me")["x-access"]).toBe("signed_in");
    expect(operation("POST", "/api/v1/organizations")["x-access"]).toBe("instance_admin");
    expect(operation("POST", "/api/v1/setup").tags).toEqual(["Setup"]);
    expect(operation("GET", "/api/v1/audit-events")["x-required-permission"]).toBe("audit.read");
    expect(operation("DELETE", "/api/v1/api-keys/{id}").responses["404"]).toEqual({
      $ref: "#/components/responses/NotFound",
    });
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        expect([method, path, op.summary.startsWith(`${method.toUpperCase()} `)]).toEqual([method, path, false]);
      }
    }
  });

  test("every $ref points at a component that exists", () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const [, , section, name] = (JSON.parse(`{${ref}}`).$ref as string).split("/");
      const components = doc.components as Record<string, Record<string, unknown>>;
      expect([section, name, components[section ?? ""]?.[name ?? ""] !== undefined]).toEqual([section, name, true]);
    }
  });

  test("is built once per app and served with an ETag; If-None-Match answers 304", async () => {
    // Weak: the answer is compressed (Bun's fetch accepts br), so its bytes are not the identity answer's.
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await box.fetch("/api/v1/openapi.json");
    expect(again.headers.get("ETag")).toBe(etag);
    expect(await again.text()).toBe(JSON.stringify(doc));
    const cached = await box.fetch("/api/v1/openapi.json", { headers: { "If-None-Match": etag } });
    expect(cached.status).toBe(304);
  });

  test("is public", async () => {
    const response = await box.fetch("/api/v1/openapi.json", { headers: { Cookie: "" } });
    expect(response.status).toBe(200);
  });
});

describe("GET /api/docs", () => {
  test("a public, server-rendered reference grouped by tag, with no external scripts", async () => {
    const response = await box.fetch("/api/docs");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("<h1>API reference</h1>");
    expect(html).toContain('id="tag-authentication"');
    expect(html).toContain("/api/v1/invitations");
    expect(html).toContain("users.manage");
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/<link[^>]+href="https?:/);
    // A signed-out reader gets no console navigation.
    expect(html).not.toContain('class="app-nav"');
  });

  test("shows request fields of a body schema", async () => {
    const html = await (await box.fetch("/api/docs")).text();
    const invitation = html.slice(html.indexOf('id="postInvitations"'));
    expect(invitation.slice(0, invitation.indexOf("</details>"))).toMatch(/<code>email<\/code>.*?body.*?yes/s);
  });

  test("a signed-in reader gets the console's navigation", async () => {
    const { orgId } = await setUpBox(box);
    const cookie = sessionCookie(box, await createUser(box, { orgId, role: "viewer" }), orgId);
    const html = await (await box.fetch("/api/docs", { headers: { Cookie: cookie } })).text();
    expect(html).toContain('class="app-nav"');
  });
});

test("zod schemas with shared ids move their definitions to components", () => {
  const shared: Record<string, Record<string, unknown>> = {};
  const item = z.object({ id: z.string() }).meta({ id: "TestItem" });
  const schema = jsonSchemaOf(z.object({ items: z.array(item) }), "output", shared);
  expect(JSON.stringify(schema)).toContain('"#/components/schemas/TestItem"');
  expect(shared.TestItem).toMatchObject({ type: "object" });
});
