import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { documented } from "./api-doc.ts";
import { validationFailed } from "./errors.ts";

/**
 * zod validation of one request part; a failure is the standard 422 with one detail per field.
 * The schema is also what the OpenAPI document shows for the route.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw validationFailed(result.error);
  });
  return documented(middleware, { validation: { target, schema } });
}
