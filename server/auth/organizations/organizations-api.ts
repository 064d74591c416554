import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { accountContext } from "../account/account-context.ts";
import { leaveOrganization } from "../people/member-removal.ts";
import { switchOrganizationInput } from "../people/people-schemas.ts";
import { switchOrganization } from "./organizations.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  postMeOrganization: apiDoc({ summary: "Switch the session's organisation", tags: ["Organisations"] }),
  postMeOrganizationsLeave: apiDoc({
    summary: "Leave one of my organisations (signed in with a session; the last active admin cannot)",
    tags: ["Organisations"],
  }),
};

/** POST /me/organization (switch the session's organisation) and leaving one. */
export const myOrganizationsApi = new Hono<AppEnv>()
  .post("/organization", docs.postMeOrganization, requireAuth(), validate("json", switchOrganizationInput), (c) => {
    const auth = c.var.auth;
    if (!auth?.session) {
      throw new AppError("bad_request", "An API key belongs to one organisation; use a key of the other organisation.");
    }
    const organization = switchOrganization(c.var.deps.db, {
      sessionId: auth.session.id,
      userId: auth.user.id,
      orgId: c.req.valid("json").organizationId,
    });
    return c.json({ id: organization.id, name: organization.name });
  })
  .post("/organizations/:id/leave", docs.postMeOrganizationsLeave, requireAuth(), (c) => {
    // An API key belongs to an organisation, not to the person; leaving is the person's own act.
    const auth = accountContext(c);
    leaveOrganization(c.var.deps.db, { userId: auth.userId, orgId: c.req.param("id"), meta: auth.meta });
    return c.body(null, 204);
  });
