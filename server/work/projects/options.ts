import { and, asc, eq, inArray } from "drizzle-orm";
import { projects } from "../../../models/work.ts";
import type { Option } from "../../../views/partials/work/projects/fields.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { listProjectChoices } from "./service.ts";

/** Projects as the equipment pages show them. */

/** The linked projects, by code. */
export function projectsById(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  ids: readonly string[],
): { id: string; code: string; name: string }[] {
  if (ids.length === 0) return [];
  return ctx.db
    .select({ id: projects.id, code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, ctx.orgId), inArray(projects.id, [...ids])))
    .orderBy(asc(projects.code))
    .all();
}

/** Open projects to link, plus the ones already linked (archived ones included, so a save keeps them). */
export function projectOptions(ctx: Pick<ServiceContext, "db" | "orgId">, linkedIds: readonly string[]): Option[] {
  const open = listProjectChoices(ctx);
  const openIds = new Set(open.map((project) => project.id));
  const archived = projectsById(
    ctx,
    linkedIds.filter((id) => !openIds.has(id)),
  );
  return [...open, ...archived].map((project) => ({ value: project.id, label: `${project.code} · ${project.name}` }));
}

/** Which of `ids` are projects of the organisation. */
export function existingProjectIds(db: Queryable, orgId: string, ids: readonly string[]): Set<string> {
  if (ids.length === 0) return new Set();
  const rows = db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), inArray(projects.id, [...ids])))
    .all();
  return new Set(rows.map((row) => row.id));
}
