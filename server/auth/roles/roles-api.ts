import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import { pageOfAll, pageQuery } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { customRoleInput, updateCustomRoleInput } from "../people/people-schemas.ts";
import { createCustomRole, deleteCustomRole, listRoles, roleEtag, updateCustomRole } from "./custom-roles.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  getRoles: apiDoc({ summary: "List the built-in and custom roles", tags: ["Roles"] }),
  postRoles: apiDoc({ summary: "Create a custom role", tags: ["Roles"] }),
  patchRoles: apiDoc({ summary: "Update a custom role", tags: ["Roles"] }),
  deleteRoles: apiDoc({ summary: "Delete a custom role", tags: ["Roles"] }),
};

/** /roles: the built-in roles and the organisation's custom roles. */
export const rolesApi = new Hono<AppEnv>()
  .get("/", docs.getRoles, requirePermission("roles.manage"), validate("query", pageQuery), (c) =>
    // A handful of roles, read whole, paged like every other list.
    c.json(pageOfAll(listRoles(serviceContext(c)), c.req.valid("query"))),
  )
  .post("/", docs.postRoles, requirePermission("roles.manage"), validate("json", customRoleInput), (c) => {
    const role = createCustomRole(serviceContext(c), c.req.valid("json"));
    c.header("ETag", roleEtag(role));
    return c.json(role, 201);
  })
  .patch("/:id", docs.patchRoles, requirePermission("roles.manage"), validate("json", updateCustomRoleInput), (c) => {
    const role = updateCustomRole(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"));
    c.header("ETag", roleEtag(role));
    return c.json(role);
  })
  .delete("/:id", docs.deleteRoles, requirePermission("roles.manage"), (c) => {
    deleteCustomRole(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  });
