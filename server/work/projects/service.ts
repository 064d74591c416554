import { and, asc, desc, eq, inArray, lt, ne, or, sql } from "drizzle-orm";
import { projectTaskCounts } from "../../../models/summaries.ts";
import { type Project, projectMembers, projects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import { contains, stringCursor } from "../../http/fields.ts";
import type { ProjectJson, ProjectListQuery } from "./schemas.ts";

/** How far a project's tasks are: all of them, the done ones, and the share done (0–100, rounded down). */
export type Progress = { total: number; done: number; percent: number };

/** A project with what its JSON shows besides its own row. */
export type ProjectRecord = Project & { memberIds: string[]; progress: Progress };

export function projectJson(record: ProjectRecord): ProjectJson {
  return {
    id: record.id,
    name: record.name,
    code: record.code,
    description: record.description,
    status: record.status,
    ownerId: record.ownerId,
    memberIds: record.memberIds,
    startDate: record.startDate,
    targetDate: record.targetDate,
    progress: record.progress,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function projectEtag(record: ProjectRecord): string {
  return etagOf(projectJson(record));
}

/** A project of the current organisation with its members and progress; null for unknown ids and other organisations' projects. */
export function findProjectById(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): ProjectRecord | null {
  const project = findProjectRow(ctx.db, ctx.orgId, id);
  return project ? (withDetails(ctx.db, ctx.orgId, [project])[0] ?? null) : null;
}

/** The project, or 404 "No such project." for unknown ids and other organisations' projects. */
export function projectOrNotFound(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): ProjectRecord {
  const record = findProjectById(ctx, id);
  if (!record) throw notFound("project");
  return record;
}

/** Only the row, for checks that need no members or progress. */
export function findProjectRow(db: Queryable, orgId: string, id: string): Project | null {
  return (
    db
      .select()
      .from(projects)
      .where(and(eq(projects.orgId, orgId), eq(projects.id, id)))
      .get() ?? null
  );
}

/**
 * One page of the organisation's projects, newest first. The cursor is the last id seen; ids
 * grow with time, so projects created while someone pages never shift or repeat a page.
 */
export function listProjects(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  query: ProjectListQuery,
): { data: ProjectRecord[]; nextCursor: string | null } {
  const [after] = query.cursor === undefined ? [] : stringCursor(query.cursor, 1);
  const q = query.q?.trim();
  const rows = ctx.db
    .select()
    .from(projects)
    .where(
      and(
        eq(projects.orgId, ctx.orgId),
        query.status?.length ? inArray(projects.status, query.status) : undefined,
        query.ownerId ? eq(projects.ownerId, query.ownerId) : undefined,
        q ? or(contains(projects.name, q), contains(projects.code, q)) : undefined,
        after !== undefined ? lt(projects.id, after) : undefined,
      ),
    )
    .orderBy(desc(projects.id))
    .limit(query.limit + 1)
    .all();
  const page = pageOf(rows, query.limit, (row) => [row.id]);
  return { data: withDetails(ctx.db, ctx.orgId, page.data), nextCursor: page.nextCursor };
}

/** The projects people pick from (equipment links, task forms): not archived, by code. */
export function listProjectChoices(
  ctx: Pick<ServiceContext, "db" | "orgId">,
): Pick<Project, "id" | "name" | "code" | "status">[] {
  return ctx.db
    .select({ id: projects.id, name: projects.name, code: projects.code, status: projects.status })
    .from(projects)
    .where(and(eq(projects.orgId, ctx.orgId), ne(projects.status, "archived")))
    .orderBy(asc(projects.code))
    .limit(1000)
    .all();
}

/**
 * Progress of many projects from their task counts per status (models/summaries.ts, kept by
 * triggers as tasks are written): a few rows per project however many tasks it has. Reused
 * until the next write (db-read-cache.ts).
 */
export function progressOf(db: Queryable, orgId: string, projectIds: string[]): ReadonlyMap<string, Progress> {
  if (projectIds.length === 0) return new Map();
  return readUntilWrite(db, `projects.progress:${orgId}:${projectIds.join(",")}`, () =>
    readProgress(db, orgId, projectIds),
  );
}

function readProgress(db: Queryable, orgId: string, projectIds: string[]): Map<string, Progress> {
  const progress = new Map<string, Progress>();
  const rows = db
    .select({
      projectId: projectTaskCounts.projectId,
      total: sql<number>`sum(${projectTaskCounts.tasks})`.mapWith(Number),
      done: sql<number>`sum(case when ${projectTaskCounts.status} = 'done' then ${projectTaskCounts.tasks} else 0 end)`.mapWith(
        Number,
      ),
    })
    .from(projectTaskCounts)
    .where(and(eq(projectTaskCounts.orgId, orgId), inArray(projectTaskCounts.projectId, projectIds)))
    .groupBy(projectTaskCounts.projectId)
    .all();
  for (const row of rows) {
    if (row.total === 0) continue;
    progress.set(row.projectId, {
      total: row.total,
      done: row.done,
      percent: Math.floor((row.done * 100) / row.total),
    });
  }
  return progress;
}

/** Member ids of many projects, in the order they were added. */
export function memberIdsOf(db: Queryable, projectIds: string[]): Map<string, string[]> {
  const members = new Map<string, string[]>();
  if (projectIds.length === 0) return members;
  const rows = db
    .select({ projectId: projectMembers.projectId, userId: projectMembers.userId })
    .from(projectMembers)
    .where(inArray(projectMembers.projectId, projectIds))
    .orderBy(sql`rowid`)
    .all();
  for (const row of rows) members.set(row.projectId, [...(members.get(row.projectId) ?? []), row.userId]);
  return members;
}

function withDetails(db: Queryable, orgId: string, rows: Project[]): ProjectRecord[] {
  const ids = rows.map((row) => row.id);
  const members = memberIdsOf(db, ids);
  const progress = progressOf(db, orgId, ids);
  return rows.map((row) => ({
    ...row,
    memberIds: members.get(row.id) ?? [],
    progress: progress.get(row.id) ?? { total: 0, done: 0, percent: 0 },
  }));
}
