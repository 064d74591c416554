import { type Context, Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { addTeamMember, createTeam, deleteTeam, removeTeamMember, updateTeam } from "./changes.ts";
import { createTeamInput, teamJsonSchema, teamListQuery, teamPageSchema, updateTeamInput } from "./schemas.ts";
import { listTeams, type TeamRecord, teamEtag, teamJson, teamOrNotFound } from "./service.ts";

const tags = ["Teams"];
const one = (description: string) => ({ description, schema: teamJsonSchema });

function respond(c: Context<AppEnv>, record: TeamRecord, status: 200 | 201 = 200) {
  c.header("ETag", teamEtag(record));
  return c.json(teamJson(record), status);
}

/** /teams, /teams/{id}, /teams/{id}/members/{userId}: a lead and members, used for timesheet approval. */
export const teamsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List teams",
      tags,
      responses: { 200: { description: "A page, by name", schema: teamPageSchema } },
    }),
    requirePermission("workspace.read"),
    validate("query", teamListQuery),
    (c) => {
      const page = listTeams(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(teamJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    apiDoc({ summary: "Create a team", tags, responses: { 201: one("The team") } }),
    requirePermission("projects.manage"),
    validate("json", createTeamInput),
    (c) => {
      const record = createTeam(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/teams/${record.id}`);
      return respond(c, record, 201);
    },
  )
  .get(
    "/:id",
    apiDoc({ summary: "Get a team", tags, responses: { 200: one("The team") } }),
    requirePermission("workspace.read"),
    (c) => {
      const record = teamOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, teamEtag(record), teamJson(record));
    },
  )
  .patch(
    "/:id",
    apiDoc({
      summary: "Change a team",
      description: "Honours `If-Match` (412 when the team changed since).",
      tags,
      responses: { 200: one("The changed team") },
    }),
    requirePermission("projects.manage"),
    validate("json", updateTeamInput),
    (c) => respond(c, updateTeam(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"))),
  )
  .delete(
    "/:id",
    apiDoc({ summary: "Delete a team", tags, responses: { 204: { description: "Deleted" } } }),
    requirePermission("projects.manage"),
    (c) => {
      deleteTeam(serviceContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .put(
    "/:id/members/:userId",
    apiDoc({ summary: "Add a member to a team", tags, responses: { 200: one("The team") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, addTeamMember(serviceContext(c), c.req.param("id"), c.req.param("userId"))),
  )
  .delete(
    "/:id/members/:userId",
    apiDoc({ summary: "Remove a member from a team", tags, responses: { 200: one("The team") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, removeTeamMember(serviceContext(c), c.req.param("id"), c.req.param("userId"))),
  );
