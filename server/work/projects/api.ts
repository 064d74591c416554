import { type Context, Hono } from "hono";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { addProjectMember, createProject, removeProjectMember, updateProject } from "./changes.ts";
import {
  createProjectInput,
  type ProjectListQuery,
  projectJsonSchema,
  projectListQuery,
  projectPageSchema,
  updateProjectInput,
} from "./schemas.ts";
import { listProjects, type ProjectRecord, projectEtag, projectJson, projectOrNotFound } from "./service.ts";

const tags = ["Projects"];
const one = (description: string) => ({ description, schema: projectJsonSchema });

function respond(c: Context<AppEnv>, record: ProjectRecord, status: 200 | 201 = 200) {
  c.header("ETag", projectEtag(record));
  return c.json(projectJson(record), status);
}

const JSON_TYPE = { "Content-Type": "application/json" };

/**
 * A page of projects as its JSON text. The first page of each status filter and limit (no
 * search, owner or cursor: what integrations poll) is reused until the next write
 * (db-read-cache.ts), so a repeated request neither queries nor serialises.
 */
function projectPageJson(ctx: ServiceContext, query: ProjectListQuery): string {
  const read = () => {
    const page = listProjects(ctx, query);
    return JSON.stringify({ data: page.data.map(projectJson), nextCursor: page.nextCursor });
  };
  if (query.cursor !== undefined || query.q || query.ownerId) return read();
  return readUntilWrite(ctx.db, `projects.apiPage:${ctx.orgId}:${query.status?.join(",") ?? ""}:${query.limit}`, read);
}

/** /projects, /projects/{id}, /projects/{id}/members/{userId}. */
export const projectsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List projects",
      tags,
      responses: { 200: { description: "A page", schema: projectPageSchema } },
    }),
    requirePermission("workspace.read"),
    validate("query", projectListQuery),
    (c) => c.body(projectPageJson(serviceContext(c), c.req.valid("query")), 200, JSON_TYPE),
  )
  .post(
    "/",
    apiDoc({
      summary: "Create a project",
      description:
        "With `template`, the tasks of that project template of the organisation's industry are created with it.",
      tags,
      responses: { 201: one("The project") },
    }),
    requirePermission("projects.manage"),
    validate("json", createProjectInput),
    (c) => {
      const record = createProject(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/projects/${record.id}`);
      return respond(c, record, 201);
    },
  )
  .get(
    "/:id",
    apiDoc({ summary: "Get a project", tags, responses: { 200: one("The project") } }),
    requirePermission("workspace.read"),
    (c) => {
      const record = projectOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, projectEtag(record), projectJson(record));
    },
  )
  .patch(
    "/:id",
    apiDoc({
      summary: "Change or archive a project",
      description: "Send `status: archived` to archive. Honours `If-Match` (412 when the project changed since).",
      tags,
      responses: { 200: one("The changed project") },
    }),
    requirePermission("projects.manage"),
    validate("json", updateProjectInput),
    (c) =>
      respond(c, updateProject(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"))),
  )
  .put(
    "/:id/members/:userId",
    apiDoc({ summary: "Add a member to a project", tags, responses: { 200: one("The project") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, addProjectMember(serviceContext(c), c.req.param("id"), c.req.param("userId"))),
  )
  .delete(
    "/:id/members/:userId",
    apiDoc({ summary: "Remove a member from a project", tags, responses: { 200: one("The project") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, removeProjectMember(serviceContext(c), c.req.param("id"), c.req.param("userId"))),
  );
