import { and, asc, eq, gte, lt, ne, notInArray, or } from "drizzle-orm";
import { type Project, projects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { contains } from "../../http/fields.ts";

/** A project as a picker offers it. */
export type ProjectMatch = Pick<Project, "id" | "code" | "name">;

const columns = { id: projects.id, code: projects.code, name: projects.name };
/** Above every character a code can hold: `code < q + LAST` ends the range of codes starting with q. */
const LAST = "\u{10FFFF}";

/**
 * Open projects (not archived: they take no new work) of the caller's organisation whose code
 * starts with `q`, then those whose code or name contains it, each part by code. The first
 * part is a range of the (org, code) index; the second walks that index and stops at `limit`.
 */
export function searchOpenProjects(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  q: string,
  limit: number,
): ProjectMatch[] {
  const text = q.trim();
  if (text === "") return [];
  const prefix = text.toUpperCase();
  const open = and(eq(projects.orgId, ctx.orgId), ne(projects.status, "archived"));
  const starting = ctx.db
    .select(columns)
    .from(projects)
    .where(and(open, gte(projects.code, prefix), lt(projects.code, prefix + LAST)))
    .orderBy(asc(projects.code))
    .limit(limit)
    .all();
  if (starting.length >= limit) return starting;
  const found = starting.map((project) => project.id);
  const containing = ctx.db
    .select(columns)
    .from(projects)
    .where(
      and(
        open,
        or(contains(projects.code, text), contains(projects.name, text)),
        found.length > 0 ? notInArray(projects.id, found) : undefined,
      ),
    )
    .orderBy(asc(projects.code))
    .limit(limit - starting.length)
    .all();
  return [...starting, ...containing];
}

/** The caller's organisation's project with this code (any case, any status); null when there is none. */
export function findProjectByCode(ctx: Pick<ServiceContext, "db" | "orgId">, code: string): ProjectMatch | null {
  return (
    ctx.db
      .select(columns)
      .from(projects)
      .where(and(eq(projects.orgId, ctx.orgId), eq(projects.code, code.trim().toUpperCase())))
      .get() ?? null
  );
}

/** The code of the caller's organisation's project with this id; null for unknown ids and other organisations'. */
export function findProjectCodeById(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): string | null {
  if (id === "") return null;
  const row = ctx.db
    .select({ code: projects.code })
    .from(projects)
    .where(and(eq(projects.orgId, ctx.orgId), eq(projects.id, id)))
    .get();
  return row?.code ?? null;
}
