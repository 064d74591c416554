import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { validate } from "../http/validate.ts";
import { assertIfMatch, etagOf } from "./etag.ts";
import { requirePermission, serviceContext } from "./guard.ts";
import {
  createSsoProvider,
  deleteSsoProvider,
  findSsoProviderById,
  listSsoProviders,
  toPublicProvider,
  updateSsoProvider,
} from "./sso-providers.ts";
import { createSsoProviderInput, ssoProviderListQuery, updateSsoProviderInput } from "./sso-schemas.ts";

/** /api/v1/sso-providers: an organisation's single sign-on providers. The client secret is write-only. */
export const ssoProvidersApi = new Hono<AppEnv>()
  .post("/sso-providers", requirePermission("settings.manage"), validate("json", createSsoProviderInput), (c) => {
    const provider = createSsoProvider(serviceContext(c), c.req.valid("json"));
    const body = toPublicProvider(provider, c.var.deps.config.baseUrl);
    c.header("ETag", etagOf(body));
    c.header("Location", `/api/v1/sso-providers/${provider.id}`);
    return c.json(body, 201);
  })
  .get("/sso-providers", requirePermission("settings.manage"), validate("query", ssoProviderListQuery), (c) => {
    const page = listSsoProviders(serviceContext(c), c.req.valid("query"));
    const baseUrl = c.var.deps.config.baseUrl;
    return c.json({
      data: page.data.map((provider) => toPublicProvider(provider, baseUrl)),
      nextCursor: page.nextCursor,
    });
  })
  .get("/sso-providers/:id", requirePermission("settings.manage"), (c) => {
    const provider = findSsoProviderById(serviceContext(c), c.req.param("id"));
    if (!provider) throw new AppError("not_found", "No such single sign-on provider.");
    const body = toPublicProvider(provider, c.var.deps.config.baseUrl);
    c.header("ETag", etagOf(body));
    return c.json(body);
  })
  .patch("/sso-providers/:id", requirePermission("settings.manage"), validate("json", updateSsoProviderInput), (c) => {
    const ctx = serviceContext(c);
    const baseUrl = c.var.deps.config.baseUrl;
    const current = findSsoProviderById(ctx, c.req.param("id"));
    if (!current) throw new AppError("not_found", "No such single sign-on provider.");
    assertIfMatch(c.req.header("If-Match"), etagOf(toPublicProvider(current, baseUrl)));
    const body = toPublicProvider(updateSsoProvider(ctx, current.id, c.req.valid("json")), baseUrl);
    c.header("ETag", etagOf(body));
    return c.json(body);
  })
  .delete("/sso-providers/:id", requirePermission("settings.manage"), (c) => {
    deleteSsoProvider(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  });
