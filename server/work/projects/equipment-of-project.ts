import { and, asc, eq } from "drizzle-orm";
import { type Equipment, equipment, equipmentProjects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";

/** The equipment linked to a project (for the project's page), by name. */
export function listEquipmentOfProject(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  projectId: string,
): Pick<Equipment, "id" | "name" | "type" | "status">[] {
  return ctx.db
    .select({ id: equipment.id, name: equipment.name, type: equipment.type, status: equipment.status })
    .from(equipmentProjects)
    .innerJoin(equipment, eq(equipment.id, equipmentProjects.equipmentId))
    .where(and(eq(equipmentProjects.orgId, ctx.orgId), eq(equipmentProjects.projectId, projectId)))
    .orderBy(asc(equipment.name))
    .limit(200)
    .all();
}
