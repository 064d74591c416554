import { Hono } from "hono";
import { createOrganizationInput } from "../auth/people/people-schemas.ts";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { createOrganization } from "./organizations.ts";

const docs = {
  postOrganizations: apiDoc({ summary: "Add an organisation with its first admin", tags: ["Organisations"] }),
};

/** POST /organizations: the instance admin adds an organisation. */
export const organizationsApi = new Hono<AppEnv>().post(
  "/",
  docs.postOrganizations,
  requireInstanceAdmin(),
  validate("json", createOrganizationInput),
  (c) => {
    const { organization, admin } = createOrganization(
      serviceContext(c),
      c.req.valid("json"),
      c.var.deps.config.baseUrl,
    );
    return c.json(
      {
        id: organization.id,
        name: organization.name,
        complianceLevel: organization.complianceLevel,
        createdAt: organization.createdAt.toISOString(),
        admin: {
          id: admin.user.id,
          email: admin.user.email,
          status: admin.status,
          invitationExpiresAt: admin.expiresAt?.toISOString() ?? null,
        },
      },
      201,
    );
  },
);
