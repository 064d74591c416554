import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { createInvitation } from "./invitations.ts";
import { removeMember } from "./member-removal.ts";
import { invitationInput, inviteUserInput, listQuery, updateUserInput } from "./people-schemas.ts";
import { updateUser } from "./user-updates.ts";
import { inviteUser, listUsers, personOrNotFound, userEtag, userJson } from "./users.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  getUsers: apiDoc({ summary: "List the people of the organisation", tags: ["People"] }),
  postUsers: apiDoc({ summary: "Invite a person with a name and role", tags: ["People"] }),
  getUsersOne: apiDoc({ summary: "Get a person", tags: ["People"] }),
  patchUsers: apiDoc({
    summary: "Change a person's role, status or this organisation's name for them",
    tags: ["People"],
  }),
  deleteUsers: apiDoc({
    summary: "Remove a person from this organisation, or withdraw their invitation (the account lives on elsewhere)",
    tags: ["People"],
  }),
  postInvitations: apiDoc({ summary: "Invite someone by e-mail", tags: ["People"] }),
};

/** API of people and organisations: /users, /invitations, /organizations, /auth/password-reset, /roles, /security-policy. */
export const usersApi = new Hono<AppEnv>()
  .get("/users", docs.getUsers, requirePermission("users.manage"), validate("query", listQuery), (c) => {
    const page = listUsers(serviceContext(c), c.req.valid("query"));
    return c.json({ data: page.data.map(userJson), nextCursor: page.nextCursor });
  })
  .post("/users", docs.postUsers, requirePermission("users.manage"), validate("json", inviteUserInput), (c) => {
    const person = inviteUser(serviceContext(c), c.req.valid("json"), c.var.deps.config.baseUrl);
    c.header("ETag", userEtag(person));
    c.header("Location", `/api/v1/users/${person.user.id}`);
    return c.json(userJson(person), 201);
  })
  .get("/users/:id", docs.getUsersOne, requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return jsonWithEtag(c, userEtag(person), userJson(person));
  })
  .patch("/users/:id", docs.patchUsers, requirePermission("users.manage"), validate("json", updateUserInput), (c) => {
    const person = updateUser(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"));
    c.header("ETag", userEtag(person));
    return c.json(userJson(person));
  })
  .delete("/users/:id", docs.deleteUsers, requirePermission("users.manage"), (c) => {
    removeMember(serviceContext(c), c.req.param("id"));
    return c.body(null, 204);
  })
  .post(
    "/invitations",
    docs.postInvitations,
    requirePermission("users.manage"),
    validate("json", invitationInput),
    (c) => {
      const result = createInvitation(serviceContext(c), c.req.valid("json"), c.var.deps.config.baseUrl);
      return c.json(
        {
          userId: result.user.id,
          email: result.user.email,
          role: result.role.role,
          // null only when the instance admin named their own account as a new organisation's admin.
          expiresAt: result.expiresAt?.toISOString() ?? null,
        },
        201,
      );
    },
  );
