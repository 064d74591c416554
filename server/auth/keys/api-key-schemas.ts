import { z } from "zod";
import { pageQuery } from "../../http/cursor.ts";
import { permissions } from "../roles/permissions.ts";

const apiKeyName = z
  .string({ error: "Enter a name for the key." })
  .trim()
  .min(1, "Enter a name for the key.")
  .max(100, "Keep the name under 100 characters.");

const scope = z.enum(permissions, { error: "Not a permission name." });

/** `POST /api/v1/api-keys`. Scopes default to everything the creator may do. */
export const createApiKeyInput = z.object({
  name: apiKeyName,
  scopes: z.array(scope).min(1, "Choose at least one scope.").max(permissions.length).optional(),
  expiresAt: z.iso
    .datetime({ offset: true, error: "Use an ISO 8601 date-time, like 2030-01-31T00:00:00Z." })
    .nullable()
    .optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;

/** The console's create form: checkboxes arrive as one value or many, the expiry as a date. */
export const apiKeyForm = z.object({
  name: apiKeyName,
  scopes: z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(scope).min(1, "Choose at least one scope."),
  ),
  expiresOn: z.union([z.literal(""), z.iso.date("Use a date like 2030-01-31.")]).default(""),
});
export type ApiKeyFormValues = { name: string; scopes: string[]; expiresOn: string };

/** Cursor pagination of the API's lists. */
export const apiKeyListQuery = pageQuery;
