import { and, desc, eq, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { type Equipment, equipment, equipmentProjects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import { contains, stringCursor } from "../../http/fields.ts";
import { listEquipmentManuals } from "./manuals.ts";
import type { EquipmentJson, EquipmentListQuery } from "./schemas.ts";

/** A piece of equipment with the projects it is linked to and its manuals (linked documents). */
export type EquipmentRecord = Equipment & { projectIds: string[]; manuals: { id: string; title: string }[] };

export function equipmentJson(record: EquipmentRecord): EquipmentJson {
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    manufacturer: record.manufacturer,
    model: record.model,
    serialNumber: record.serialNumber,
    location: record.location,
    status: record.status,
    purchaseDate: record.purchaseDate,
    warrantyEnd: record.warrantyEnd,
    notes: record.notes,
    projectIds: record.projectIds,
    manuals: record.manuals,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function equipmentEtag(record: EquipmentRecord): string {
  return etagOf(equipmentJson(record));
}

/** A piece of equipment of the current organisation; null for unknown ids and other organisations'. */
export function findEquipmentById(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): EquipmentRecord | null {
  const row = ctx.db
    .select()
    .from(equipment)
    .where(and(eq(equipment.orgId, ctx.orgId), eq(equipment.id, id)))
    .get();
  return row ? (withProjects(ctx.db, [row])[0] ?? null) : null;
}

/** The equipment, or 404 "No such equipment." for unknown ids and other organisations' equipment. */
export function equipmentOrNotFound(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): EquipmentRecord {
  const record = findEquipmentById(ctx, id);
  if (!record) throw notFound("equipment");
  return record;
}

/**
 * One page of the organisation's equipment, newest first. The cursor is the last id seen; ids
 * grow with time, so equipment added while someone pages never shifts or repeats a page.
 */
export function listEquipment(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  query: EquipmentListQuery,
): { data: EquipmentRecord[]; nextCursor: string | null } {
  const [after] = query.cursor === undefined ? [] : stringCursor(query.cursor, 1);
  const q = query.q?.trim();
  const rows = ctx.db
    .select()
    .from(equipment)
    .where(
      and(
        eq(equipment.orgId, ctx.orgId),
        query.status?.length ? inArray(equipment.status, query.status) : undefined,
        query.type ? sameText(equipment.type, query.type) : undefined,
        query.location ? sameText(equipment.location, query.location) : undefined,
        q
          ? or(
              contains(equipment.name, q),
              contains(equipment.manufacturer, q),
              contains(equipment.model, q),
              contains(equipment.serialNumber, q),
            )
          : undefined,
        after !== undefined ? lt(equipment.id, after) : undefined,
      ),
    )
    .orderBy(desc(equipment.id))
    .limit(query.limit + 1)
    .all();
  const page = pageOf(rows, query.limit, (row) => [row.id]);
  return { data: withProjects(ctx.db, page.data), nextCursor: page.nextCursor };
}

/** The types and locations in use (at most 200 of each, in order), for the list's filters. */
export function listEquipmentFacets(ctx: Pick<ServiceContext, "db" | "orgId">): {
  types: string[];
  locations: string[];
} {
  // A DISTINCT would read every piece of equipment; this seeks the (org_id, type|location)
  // index once per value instead: each step is the smallest value above the last one found.
  // Strings above '' are the non-empty ones, as SQLite compares text.
  const distinct = (column: typeof equipment.type | typeof equipment.location) =>
    ctx.db
      .all<{ value: string }>(
        sql`with recursive facet(value) as (
          select (select min(${column}) from ${equipment} where ${equipment.orgId} = ${ctx.orgId} and ${column} > '')
          union all
          select (select min(${column}) from ${equipment} where ${equipment.orgId} = ${ctx.orgId} and ${column} > facet.value)
          from facet where facet.value is not null
          limit 201
        )
        select value from facet where value is not null limit 200`,
      )
      .map((row) => row.value);
  // Every list page shows them: kept until the next write to the database (db-read-cache.ts).
  return readUntilWrite(ctx.db, `equipment.facets:${ctx.orgId}`, () => ({
    types: distinct(equipment.type),
    locations: distinct(equipment.location),
  }));
}

function sameText(column: typeof equipment.type | typeof equipment.location, value: string): SQL {
  return sql`lower(${column}) = lower(${value})`;
}

function withProjects(db: Queryable, rows: Equipment[]): EquipmentRecord[] {
  if (rows.length === 0) return [];
  const links = db
    .select({ equipmentId: equipmentProjects.equipmentId, projectId: equipmentProjects.projectId })
    .from(equipmentProjects)
    .where(
      inArray(
        equipmentProjects.equipmentId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(sql`rowid`)
    .all();
  const byEquipment = new Map<string, string[]>();
  for (const link of links) {
    byEquipment.set(link.equipmentId, [...(byEquipment.get(link.equipmentId) ?? []), link.projectId]);
  }
  const manuals = new Map<string, { id: string; title: string }[]>();
  const orgId = rows[0]?.orgId ?? "";
  for (const manual of listEquipmentManuals(
    db,
    orgId,
    rows.map((row) => row.id),
  )) {
    manuals.set(manual.equipmentId, [
      ...(manuals.get(manual.equipmentId) ?? []),
      { id: manual.id, title: manual.title },
    ]);
  }
  return rows.map((row) => ({ ...row, projectIds: byEquipment.get(row.id) ?? [], manuals: manuals.get(row.id) ?? [] }));
}
