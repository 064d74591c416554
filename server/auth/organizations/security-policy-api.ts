import { Hono } from "hono";
import { securityPolicySchema } from "../../../models/security-policy.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { findSecurityPolicy, type PolicyView, updateSecurityPolicy } from "./security-policy.ts";

function policyJson(view: PolicyView) {
  return { complianceLevel: view.complianceLevel, policy: view.policy, preset: view.preset };
}

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  getSecurityPolicy: apiDoc({ summary: "Get the organisation's security policy", tags: ["Security policy"] }),
  putSecurityPolicy: apiDoc({ summary: "Replace the organisation's security policy", tags: ["Security policy"] }),
};

/** GET/PUT /security-policy: the organisation's policy, within the schema's bounds. */
export const securityPolicyApi = new Hono<AppEnv>()
  .get("/", docs.getSecurityPolicy, requirePermission("settings.manage"), (c) => {
    const body = policyJson(findSecurityPolicy(serviceContext(c)));
    c.header("ETag", etagOf(body));
    return c.json(body);
  })
  .put(
    "/",
    docs.putSecurityPolicy,
    requirePermission("settings.manage"),
    validate("json", securityPolicySchema.strict()),
    (c) => {
      const ctx = serviceContext(c);
      assertIfMatch(c.req.header("If-Match"), etagOf(policyJson(findSecurityPolicy(ctx))));
      const body = policyJson(updateSecurityPolicy(ctx, c.req.valid("json")));
      c.header("ETag", etagOf(body));
      return c.json(body);
    },
  );
