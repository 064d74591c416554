import { and, eq } from "drizzle-orm";
import { equipment, equipmentProjects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { type EventInput, publishEvent } from "../../events/publish.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { actorName } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import { fieldChanges } from "../change-kit.ts";
import { existingProjectIds } from "../projects/options.ts";
import type { CreateEquipmentInput, UpdateEquipmentInput } from "./schemas.ts";
import { type EquipmentRecord, equipmentEtag, equipmentOrNotFound, findEquipmentById } from "./service.ts";

/** Records a piece of equipment with its project links and the `equipment.created` event. */
export function createEquipment(ctx: ServiceContext, input: CreateEquipmentInput, now = new Date()): EquipmentRecord {
  assertProjects(ctx, input.projectIds);
  const { projectIds, ...fields } = input;
  const id = newId("eqp", now.getTime());
  ctx.db.transaction((tx) => {
    tx.insert(equipment)
      .values({
        ...fields,
        purchaseDate: fields.purchaseDate ?? null,
        warrantyEnd: fields.warrantyEnd ?? null,
        id,
        orgId: ctx.orgId,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    linkProjects(tx, ctx.orgId, id, projectIds);
    publish(tx, ctx, now, {
      type: "equipment.created",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} added the equipment “${input.name}”`,
      data: { name: input.name, type: input.type, projectIds },
    });
  });
  return mustFind(ctx, id);
}

/** Changes a piece of equipment (and, with `projectIds`, all its links); `ifMatch` guards against stale writes (412). */
export function updateEquipment(
  ctx: ServiceContext,
  id: string,
  input: UpdateEquipmentInput,
  ifMatch?: string,
  now = new Date(),
): EquipmentRecord {
  const record = equipmentOrNotFound(ctx, id);
  assertIfMatch(ifMatch, equipmentEtag(record));
  const purchaseDate = input.purchaseDate === undefined ? record.purchaseDate : input.purchaseDate;
  const warrantyEnd = input.warrantyEnd === undefined ? record.warrantyEnd : input.warrantyEnd;
  if (purchaseDate && warrantyEnd && warrantyEnd < purchaseDate) {
    const path = input.warrantyEnd === undefined ? "purchaseDate" : "warrantyEnd";
    throw new AppError("validation_failed", "The request is not valid.", [
      { path, message: "The warranty cannot end before the purchase date." },
    ]);
  }
  if (input.projectIds) assertProjects(ctx, input.projectIds);
  const { projectIds, ...fields } = input;
  const changes = fieldChanges(record, fields);
  const linksChanged =
    projectIds !== undefined &&
    (projectIds.length !== record.projectIds.length ||
      projectIds.some((projectId) => !record.projectIds.includes(projectId)));
  if (Object.keys(changes).length === 0 && !linksChanged) return record;
  const name = input.name ?? record.name;
  ctx.db.transaction((tx) => {
    tx.update(equipment)
      .set({ ...fields, updatedAt: now })
      .where(and(eq(equipment.orgId, ctx.orgId), eq(equipment.id, id)))
      .run();
    if (projectIds && linksChanged) {
      tx.delete(equipmentProjects).where(eq(equipmentProjects.equipmentId, id)).run();
      linkProjects(tx, ctx.orgId, id, projectIds);
    }
    publish(tx, ctx, now, {
      type: "equipment.updated",
      subjectId: id,
      summary: changes.status
        ? `${actorName(ctx.db, ctx)} marked “${name}” ${String(changes.status.to).replaceAll("_", " ")}`
        : `${actorName(ctx.db, ctx)} updated the equipment “${name}”`,
      data: { changes, ...(linksChanged ? { projectIds: { from: record.projectIds, to: projectIds } } : {}) },
    });
  });
  return mustFind(ctx, id);
}

/** Deletes a piece of equipment (its links go with it) and publishes `equipment.deleted`. */
export function deleteEquipment(ctx: ServiceContext, id: string, now = new Date()): void {
  const record = equipmentOrNotFound(ctx, id);
  ctx.db.transaction((tx) => {
    tx.delete(equipment)
      .where(and(eq(equipment.orgId, ctx.orgId), eq(equipment.id, id)))
      .run();
    publish(tx, ctx, now, {
      type: "equipment.deleted",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} deleted the equipment “${record.name}”`,
      data: { name: record.name },
    });
  });
}

/** Links a project of the organisation (nothing changes if already linked); 404 for an unknown project. */
export function linkEquipmentProject(
  ctx: ServiceContext,
  id: string,
  projectId: string,
  now = new Date(),
): EquipmentRecord {
  const record = equipmentOrNotFound(ctx, id);
  if (!existingProjectIds(ctx.db, ctx.orgId, [projectId]).has(projectId)) {
    throw notFound("project");
  }
  if (record.projectIds.includes(projectId)) return record;
  ctx.db.transaction((tx) => {
    linkProjects(tx, ctx.orgId, id, [projectId]);
    publish(tx, ctx, now, {
      type: "equipment.updated",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} linked “${record.name}” to a project`,
      data: { projectLinked: projectId },
    });
  });
  return mustFind(ctx, id);
}

/** Removes a project link; 404 when there is none. */
export function unlinkEquipmentProject(
  ctx: ServiceContext,
  id: string,
  projectId: string,
  now = new Date(),
): EquipmentRecord {
  const record = equipmentOrNotFound(ctx, id);
  if (!record.projectIds.includes(projectId))
    throw new AppError("not_found", "The equipment is not linked to this project.");
  ctx.db.transaction((tx) => {
    tx.delete(equipmentProjects)
      .where(and(eq(equipmentProjects.equipmentId, id), eq(equipmentProjects.projectId, projectId)))
      .run();
    publish(tx, ctx, now, {
      type: "equipment.updated",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} unlinked “${record.name}” from a project`,
      data: { projectUnlinked: projectId },
    });
  });
  return mustFind(ctx, id);
}

/** Every id must be a project of the organisation: 422 on `projectIds.N` otherwise. */
function assertProjects(ctx: ServiceContext, projectIds: readonly string[]): void {
  const found = existingProjectIds(ctx.db, ctx.orgId, projectIds);
  const missing = projectIds.findIndex((projectId) => !found.has(projectId));
  if (missing >= 0) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: `projectIds.${missing}`, message: "No such project in this organisation." },
    ]);
  }
}

function linkProjects(tx: Queryable, orgId: string, equipmentId: string, projectIds: readonly string[]): void {
  for (const projectId of projectIds) tx.insert(equipmentProjects).values({ equipmentId, projectId, orgId }).run();
}

function publish(tx: Queryable, ctx: ServiceContext, now: Date, event: Omit<EventInput, "subjectType">): void {
  publishEvent(tx, ctx, { ...event, subjectType: "equipment" }, now);
}

function mustFind(ctx: ServiceContext, id: string): EquipmentRecord {
  const record = findEquipmentById(ctx, id);
  if (!record) throw new AppError("internal", "The equipment could not be read back.");
  return record;
}
