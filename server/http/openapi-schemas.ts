import { type ZodType, z } from "zod";
import type { RouteDoc } from "./api-doc.ts";
import type { OpenApiParameter } from "./openapi.ts";
import type { JsonSchema } from "./openapi-components.ts";

/* zod 4 schemas as the JSON Schema (2020-12) pieces of the OpenAPI document. */

/**
 * `contentType` may list several types ("text/event-stream, application/json"). An event stream
 * has no JSON Schema of its own in OpenAPI 3.1: it is a string whose messages the description
 * explains; the other types get the schema.
 */
export function contentOf(
  response: NonNullable<RouteDoc["responses"]>[number],
  shared: Record<string, JsonSchema>,
): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const type of (response.contentType ?? "application/json").split(",").map((part) => part.trim())) {
    if (type === "text/event-stream") {
      content[type] = {
        schema: { type: "string", description: "Server-sent events (`id:`, `event:`, `data:` lines)." },
      };
    } else {
      content[type] = response.schema ? { schema: jsonSchemaOf(response.schema, "output", shared) } : {};
    }
  }
  return content;
}

/**
 * zod 4's own JSON Schema (2020-12), as the request arrives ("input": defaults optional,
 * coercions as their target type). Shared definitions move to components.schemas.
 */
export function jsonSchemaOf(schema: ZodType, io: "input" | "output", shared: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as JsonSchema;
  const { $schema: _dialect, $defs, ...rest } = generated;
  let text = JSON.stringify(rest);
  if ($defs && typeof $defs === "object") {
    for (const [name, definition] of Object.entries($defs as Record<string, JsonSchema>)) {
      shared[name] ??= JSON.parse(JSON.stringify(definition).replaceAll('"#/$defs/', '"#/components/schemas/'));
    }
    text = text.replaceAll('"#/$defs/', '"#/components/schemas/');
  }
  return JSON.parse(text) as JsonSchema;
}

export function objectParameters(schema: JsonSchema, where: OpenApiParameter["in"]): OpenApiParameter[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    const parameter: OpenApiParameter = {
      name,
      in: where,
      required: where === "path" || required.has(name),
      schema: propertySchema,
    };
    if (typeof description === "string") parameter.description = description;
    return parameter;
  });
}

export function mergeParameters(into: OpenApiParameter[], extra: OpenApiParameter[]): void {
  for (const parameter of extra) {
    const index = into.findIndex((existing) => existing.name === parameter.name && existing.in === parameter.in);
    if (index >= 0) into[index] = parameter;
    else into.push(parameter);
  }
}
