import type { ApiReferenceField, ApiReferenceGroup, ApiReferenceOperation } from "../../views/pages/api-docs.tsx";
import { accessLine, type OpenApiDocument, type OpenApiOperation } from "./openapi.ts";
import type { JsonSchema } from "./openapi-components.ts";

/** The reference page's content, read from the OpenAPI document (never from the routes a second time). */
export function apiReferenceOf(document: OpenApiDocument): ApiReferenceGroup[] {
  const groups = new Map<string, ApiReferenceOperation[]>();
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const tag = operation.tags[0] ?? "API";
      const list = groups.get(tag) ?? [];
      list.push(referenceOf(method, path, operation, document));
      groups.set(tag, list);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tag, operations]) => ({ tag, anchor: anchorOf(tag), operations }));
}

function referenceOf(
  method: string,
  path: string,
  operation: OpenApiOperation,
  document: OpenApiDocument,
): ApiReferenceOperation {
  const fields: ApiReferenceField[] = (operation.parameters ?? []).map((parameter) => ({
    name: parameter.name,
    where: parameter.in,
    type: typeOf(parameter.schema),
    required: parameter.required,
    notes: [parameter.description, ...notesOf(parameter.schema)].filter(Boolean).join(" · "),
  }));
  const body = Object.values(operation.requestBody?.content ?? {})[0]?.schema;
  if (body) fields.push(...bodyFields(resolve(body, document), document, "", 0));
  return {
    id: operation.operationId,
    method: method.toUpperCase(),
    path,
    summary: operation.summary,
    // The page shows who may call it in its own row; the document's last paragraph says the same.
    description: withoutAccessLine(operation),
    permission: operation["x-required-permission"] ?? null,
    access: accessLabel(operation),
    fields,
    responses: Object.entries(operation.responses).map(([status, response]) => ({
      status,
      description: descriptionOf(response, document),
    })),
  };
}

function withoutAccessLine(operation: OpenApiOperation): string {
  const line = accessLine(operation["x-access"], operation["x-required-permission"]);
  const description = operation.description ?? "";
  return line && description.endsWith(line) ? description.slice(0, -line.length).trim() : description;
}

function accessLabel(operation: OpenApiOperation): string {
  switch (operation["x-access"]) {
    case "public":
      return "Public";
    case "signed_in":
      return "Any signed-in caller";
    case "instance_admin":
      return "Instance admin";
    default:
      return operation["x-required-permission"] ?? "Signed in";
  }
}

function bodyFields(schema: JsonSchema, document: OpenApiDocument, prefix: string, depth: number): ApiReferenceField[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields: ApiReferenceField[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const property = resolve(raw, document);
    const fullName = `${prefix}${name}`;
    fields.push({
      name: fullName,
      where: "body",
      type: typeOf(property),
      required: required.has(name),
      notes: [typeof property.description === "string" ? property.description : "", ...notesOf(property)]
        .filter(Boolean)
        .join(" · "),
    });
    if (depth >= 2) continue;
    const items =
      property.items && typeof property.items === "object" ? resolve(property.items as JsonSchema, document) : null;
    if (property.type === "object" && property.properties) {
      fields.push(...bodyFields(property, document, `${fullName}.`, depth + 1));
    } else if (items?.properties) {
      fields.push(...bodyFields(items, document, `${fullName}[].`, depth + 1));
    }
  }
  return fields;
}

function resolve(schema: JsonSchema, document: OpenApiDocument): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/components/schemas/")) return schema;
  return document.components.schemas[ref.slice("#/components/schemas/".length)] ?? schema;
}

/** A short type for people: `string`, `integer`, `"low" | "high"`, `string[]`, `string | null`. */
export function typeOf(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  const variants = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants)) return [...new Set(variants.map(typeOf))].join(" | ");
  const type = schema.type;
  if (Array.isArray(type)) return type.join(" | ");
  if (type === "array") {
    const items = schema.items && typeof schema.items === "object" ? typeOf(schema.items as JsonSchema) : "any";
    return items.includes(" ") ? `(${items})[]` : `${items}[]`;
  }
  if (typeof type === "string") return typeof schema.format === "string" ? `${type} (${schema.format})` : type;
  if (typeof schema.$ref === "string") return schema.$ref.split("/").at(-1) ?? "object";
  return "any";
}

function notesOf(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const bound = (label: string, key: string) => {
    if (typeof schema[key] === "number") notes.push(`${label} ${schema[key]}`);
  };
  bound("min", "minimum");
  bound("max", "maximum");
  bound("min length", "minLength");
  bound("max length", "maxLength");
  bound("at most", "maxItems");
  if (typeof schema.pattern === "string") notes.push(`pattern ${schema.pattern}`);
  if ("default" in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}

function descriptionOf(response: unknown, document: OpenApiDocument): string {
  if (!response || typeof response !== "object") return "";
  const ref = (response as { $ref?: unknown }).$ref;
  if (typeof ref === "string") {
    const shared = document.components.responses[ref.split("/").at(-1) ?? ""] as { description?: string } | undefined;
    return shared?.description ?? "";
  }
  const description = (response as { description?: unknown }).description;
  return typeof description === "string" ? description : "";
}

function anchorOf(tag: string): string {
  return `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}
