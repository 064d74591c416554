import { and, asc, eq, inArray } from "drizzle-orm";
import { documentEquipment, documents } from "../../../models/knowledge.ts";
import type { Queryable } from "../../db.ts";

/** The documents linked to a piece of equipment (its manuals), by title. */
export function listEquipmentManuals(db: Queryable, orgId: string, equipmentIds: readonly string[]) {
  if (equipmentIds.length === 0) return [];
  return db
    .select({ equipmentId: documentEquipment.equipmentId, id: documents.id, title: documents.title })
    .from(documentEquipment)
    .innerJoin(documents, eq(documents.id, documentEquipment.documentId))
    .where(and(eq(documentEquipment.orgId, orgId), inArray(documentEquipment.equipmentId, [...equipmentIds])))
    .orderBy(asc(documents.title), asc(documents.id))
    .all();
}
