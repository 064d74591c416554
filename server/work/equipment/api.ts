import { type Context, Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import {
  createEquipment,
  deleteEquipment,
  linkEquipmentProject,
  unlinkEquipmentProject,
  updateEquipment,
} from "./changes.ts";
import {
  createEquipmentInput,
  equipmentJsonSchema,
  equipmentListQuery,
  equipmentPageSchema,
  updateEquipmentInput,
} from "./schemas.ts";
import { type EquipmentRecord, equipmentEtag, equipmentJson, equipmentOrNotFound, listEquipment } from "./service.ts";

const tags = ["Equipment"];
const one = (description: string) => ({ description, schema: equipmentJsonSchema });
const manualsNote =
  "`manuals` lists the knowledge base's documents linked to the equipment (link them with `equipmentIds` on `/documents`).";

function respond(c: Context<AppEnv>, record: EquipmentRecord, status: 200 | 201 = 200) {
  c.header("ETag", equipmentEtag(record));
  return c.json(equipmentJson(record), status);
}

/** /equipment, /equipment/{id}, /equipment/{id}/projects/{projectId}. */
export const equipmentApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List equipment",
      description: manualsNote,
      tags,
      responses: { 200: { description: "A page, newest first", schema: equipmentPageSchema } },
    }),
    requirePermission("workspace.read"),
    validate("query", equipmentListQuery),
    (c) => {
      const page = listEquipment(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(equipmentJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    apiDoc({ summary: "Add equipment", description: manualsNote, tags, responses: { 201: one("The equipment") } }),
    requirePermission("projects.manage"),
    validate("json", createEquipmentInput),
    (c) => {
      const record = createEquipment(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/equipment/${record.id}`);
      return respond(c, record, 201);
    },
  )
  .get(
    "/:id",
    apiDoc({ summary: "Get equipment", description: manualsNote, tags, responses: { 200: one("The equipment") } }),
    requirePermission("workspace.read"),
    (c) => {
      const record = equipmentOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, equipmentEtag(record), equipmentJson(record));
    },
  )
  .patch(
    "/:id",
    apiDoc({
      summary: "Change equipment",
      description: `Honours \`If-Match\` (412 when it changed since). ${manualsNote}`,
      tags,
      responses: { 200: one("The changed equipment") },
    }),
    requirePermission("projects.manage"),
    validate("json", updateEquipmentInput),
    (c) =>
      respond(c, updateEquipment(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"))),
  )
  .delete(
    "/:id",
    apiDoc({ summary: "Delete equipment", tags, responses: { 204: { description: "Deleted" } } }),
    requirePermission("projects.manage"),
    (c) => {
      deleteEquipment(serviceContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .put(
    "/:id/projects/:projectId",
    apiDoc({ summary: "Link equipment to a project", tags, responses: { 200: one("The equipment") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, linkEquipmentProject(serviceContext(c), c.req.param("id"), c.req.param("projectId"))),
  )
  .delete(
    "/:id/projects/:projectId",
    apiDoc({ summary: "Unlink equipment from a project", tags, responses: { 200: one("The equipment") } }),
    requirePermission("projects.manage"),
    (c) => respond(c, unlinkEquipmentProject(serviceContext(c), c.req.param("id"), c.req.param("projectId"))),
  );
