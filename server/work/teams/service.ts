import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { type Team, teamMembers, teams } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { pageOf } from "../../http/cursor.ts";
import { notFound } from "../../http/errors.ts";
import { etagOf } from "../../http/etag.ts";
import { contains, stringCursor } from "../../http/fields.ts";
import type { TeamJson, TeamListQuery } from "./schemas.ts";

/** A team with its member ids. */
export type TeamRecord = Team & { memberIds: string[] };

export function teamJson(record: TeamRecord): TeamJson {
  return {
    id: record.id,
    name: record.name,
    leadId: record.leadId,
    memberIds: record.memberIds,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function teamEtag(record: TeamRecord): string {
  return etagOf(teamJson(record));
}

/** A team of the current organisation; null for unknown ids and other organisations' teams. */
export function findTeamById(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): TeamRecord | null {
  const team = ctx.db
    .select()
    .from(teams)
    .where(and(eq(teams.orgId, ctx.orgId), eq(teams.id, id)))
    .get();
  return team ? (withMembers(ctx.db, [team])[0] ?? null) : null;
}

/** The team, or 404 "No such team." for unknown ids and other organisations' teams. */
export function teamOrNotFound(ctx: Pick<ServiceContext, "db" | "orgId">, id: string): TeamRecord {
  const record = findTeamById(ctx, id);
  if (!record) throw notFound("team");
  return record;
}

/**
 * One page of the organisation's teams by name. The cursor is the last name and id seen, so a
 * team added while someone pages lands in its place without shifting or repeating others.
 */
export function listTeams(
  ctx: Pick<ServiceContext, "db" | "orgId">,
  query: TeamListQuery,
): { data: TeamRecord[]; nextCursor: string | null } {
  const [afterName, afterId] = query.cursor === undefined ? [] : stringCursor(query.cursor, 2);
  const q = query.q?.trim();
  const rows = ctx.db
    .select()
    .from(teams)
    .where(
      and(
        eq(teams.orgId, ctx.orgId),
        q ? contains(teams.name, q) : undefined,
        afterName !== undefined && afterId !== undefined
          ? or(gt(teams.name, afterName), and(eq(teams.name, afterName), gt(teams.id, afterId)))
          : undefined,
      ),
    )
    .orderBy(asc(teams.name), asc(teams.id))
    .limit(query.limit + 1)
    .all();
  const page = pageOf(rows, query.limit, (row) => [row.name, row.id]);
  return { data: withMembers(ctx.db, page.data), nextCursor: page.nextCursor };
}

function withMembers(db: Queryable, rows: Team[]): TeamRecord[] {
  if (rows.length === 0) return [];
  const members = new Map<string, string[]>();
  const links = db
    .select({ teamId: teamMembers.teamId, userId: teamMembers.userId })
    .from(teamMembers)
    .where(
      inArray(
        teamMembers.teamId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(sql`rowid`)
    .all();
  for (const link of links) members.set(link.teamId, [...(members.get(link.teamId) ?? []), link.userId]);
  return rows.map((row) => ({ ...row, memberIds: members.get(row.id) ?? [] }));
}
