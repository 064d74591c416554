import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import type { ServiceContext } from "../sessions/context.ts";
import { findApprovedDomains } from "./sso-domains.ts";
import {
  createSsoProvider,
  deleteSsoProvider,
  listSsoProviders,
  ssoProviderOrNotFound,
  toPublicProvider,
  updateSsoProvider,
} from "./sso-providers.ts";
import { createSsoProviderInput, ssoProviderListQuery, updateSsoProviderInput } from "./sso-schemas.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postSsoProviders: apiDoc({ summary: "Add a single sign-on provider", tags: ["Single sign-on"] }),
  getSsoProviders: apiDoc({ summary: "List single sign-on providers", tags: ["Single sign-on"] }),
  getSsoProvidersOne: apiDoc({ summary: "Get a single sign-on provider", tags: ["Single sign-on"] }),
  patchSsoProviders: apiDoc({ summary: "Update a single sign-on provider", tags: ["Single sign-on"] }),
  deleteSsoProviders: apiDoc({ summary: "Delete a single sign-on provider", tags: ["Single sign-on"] }),
};

const approvedOf = (ctx: ServiceContext) => findApprovedDomains(ctx.db, ctx.orgId);

/** /api/v1/sso-providers: an organisation's single sign-on providers. The client secret is write-only. */
export const ssoProvidersApi = new Hono<AppEnv>()
  .post(
    "/",
    docs.postSsoProviders,
    requirePermission("settings.manage"),
    validate("json", createSsoProviderInput),
    (c) => {
      const ctx = serviceContext(c);
      const provider = createSsoProvider(ctx, c.req.valid("json"));
      const body = toPublicProvider(provider, c.var.deps.config.baseUrl, approvedOf(ctx));
      c.header("ETag", etagOf(body));
      c.header("Location", `/api/v1/sso-providers/${provider.id}`);
      return c.json(body, 201);
    },
  )
  .get(
    "/",
    docs.getSsoProviders,
    requirePermission("settings.manage"),
    validate("query", ssoProviderListQuery),
    (c) => {
      const ctx = serviceContext(c);
      const page = listSsoProviders(ctx, c.req.valid("query"));
      const baseUrl = c.var.deps.config.baseUrl;
      const approved = approvedOf(ctx);
      return c.json({
        data: page.data.map((provider) => toPublicProvider(provider, baseUrl, approved)),
        nextCursor: page.nextCursor,
      });
    },
  )
  .get("/:id", docs.getSsoProvidersOne, requirePermission("settings.manage"), (c) => {
    const ctx = serviceContext(c);
    const provider = ssoProviderOrNotFound(ctx, c.req.param("id"));
    const body = toPublicProvider(provider, c.var.deps.config.baseUrl, approvedOf(ctx));
    c.header("ETag", etagOf(body));
    return c.json(body);
  })
  .patch(
    "/:id",
    docs.patchSsoProviders,
    requirePermission("settings.manage"),
    validate("json", updateSsoProviderInput),
    (c) => {
      const ctx = serviceContext(c);
      const baseUrl = c.var.deps.config.baseUrl;
      const current = ssoProviderOrNotFound(ctx, c.req.param("id"));
      assertIfMatch(c.req.header("If-Match"), etagOf(toPublicProvider(current, baseUrl, approvedOf(ctx))));
      const updated = updateSsoProvider(ctx, current.id, c.req.valid("json"));
      const body = toPublicProvider(updated, baseUrl, approvedOf(ctx));
      c.header("ETag", etagOf(body));
      return c.json(body);
    },
  )
  .delete("/:id", docs.deleteSsoProviders, requirePermission("settings.manage"), (c) => {
    deleteSsoProvider(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  });
