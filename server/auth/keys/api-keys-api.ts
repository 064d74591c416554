import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { apiKeyOrNotFound, issueApiKey, listApiKeysPage, revokeApiKeyInOrganization } from "./api-key-management.ts";
import { apiKeyListQuery, createApiKeyInput } from "./api-key-schemas.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postApiKeys: apiDoc({ summary: "Create an API key (the key is shown once)", tags: ["API keys"] }),
  getApiKeys: apiDoc({ summary: "List API keys", tags: ["API keys"] }),
  getApiKeysOne: apiDoc({ summary: "Get an API key", tags: ["API keys"] }),
  deleteApiKeys: apiDoc({ summary: "Revoke an API key", tags: ["API keys"] }),
};

/** API of API keys: /api-keys. Managing keys needs `api_keys.manage`, a key's own scopes included. */
export const apiKeysApi = new Hono<AppEnv>()
  .post("/", docs.postApiKeys, requirePermission("api_keys.manage"), validate("json", createApiKeyInput), (c) => {
    const input = c.req.valid("json");
    const { view, key } = issueApiKey(serviceContext(c), {
      name: input.name,
      scopes: input.scopes,
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    });
    return c.json({ ...view, key }, 201);
  })
  .get("/", docs.getApiKeys, requirePermission("api_keys.manage"), validate("query", apiKeyListQuery), (c) =>
    c.json(listApiKeysPage(serviceContext(c), c.req.valid("query"))),
  )
  .get("/:id", docs.getApiKeysOne, requirePermission("api_keys.manage"), (c) => {
    const view = apiKeyOrNotFound(serviceContext(c), c.req.param("id"));
    const version = view.revokedAt?.getTime() ?? view.lastUsedAt?.getTime() ?? view.createdAt.getTime();
    c.header("ETag", `W/"${view.id}-${version}"`);
    return c.json(view);
  })
  .delete("/:id", docs.deleteApiKeys, requirePermission("api_keys.manage"), (c) => {
    revokeApiKeyInOrganization(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  });
