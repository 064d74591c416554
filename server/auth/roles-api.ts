import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { createCustomRole, deleteCustomRole, listRoles, roleEtag, updateCustomRole } from "./custom-roles.ts";
import { requirePermission, serviceContext } from "./guard.ts";
import { customRoleInput, updateCustomRoleInput } from "./people-schemas.ts";

/** /roles: the built-in roles and the organisation's custom roles. */
export const rolesApi = new Hono<AppEnv>()
  .get("/roles", requirePermission("roles.manage"), (c) => {
    // A handful of roles: one page, in the list shape every API list has.
    return c.json({ data: listRoles(serviceContext(c)), nextCursor: null });
  })
  .post("/roles", requirePermission("roles.manage"), validate("json", customRoleInput), (c) => {
    const role = createCustomRole(serviceContext(c), c.req.valid("json"));
    c.header("ETag", roleEtag(role));
    return c.json(role, 201);
  })
  .patch("/roles/:id", requirePermission("roles.manage"), validate("json", updateCustomRoleInput), (c) => {
    const role = updateCustomRole(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"));
    c.header("ETag", roleEtag(role));
    return c.json(role);
  })
  .delete("/roles/:id", requirePermission("roles.manage"), (c) => {
    deleteCustomRole(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  });
