import { and, eq, inArray, sql } from "drizzle-orm";
import { teamMembers, teams } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";

/** Who leads whom, for timesheet approval (a Team Lead approves only the people of teams they lead). */

/** The leads of the teams `userId` is a member of, without the person themself. */
export function teamLeadsOf(db: Queryable, orgId: string, userId: string): string[] {
  const rows = db
    .selectDistinct({ leadId: teams.leadId })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(and(eq(teamMembers.orgId, orgId), eq(teams.orgId, orgId), eq(teamMembers.userId, userId)))
    .all();
  return rows.map((row) => row.leadId).filter((leadId): leadId is string => leadId !== null && leadId !== userId);
}

/** Whether `leadId` leads a team that `userId` belongs to. */
export function leadsTeamOf(db: Queryable, orgId: string, leadId: string, userId: string): boolean {
  const row = db
    .select({ one: sql<number>`1` })
    .from(teamMembers)
    .innerJoin(teams, eq(teams.id, teamMembers.teamId))
    .where(
      and(
        eq(teams.orgId, orgId),
        eq(teamMembers.orgId, orgId),
        eq(teams.leadId, leadId),
        eq(teamMembers.userId, userId),
      ),
    )
    .limit(1)
    .get();
  return row !== undefined;
}

/** The members of every team `leadId` leads (the lead included only if also a member), without repeats. */
export function memberIdsLedBy(db: Queryable, orgId: string, leadId: string): string[] {
  const led = db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.orgId, orgId), eq(teams.leadId, leadId)))
    .all()
    .map((row) => row.id);
  if (led.length === 0) return [];
  return db
    .selectDistinct({ userId: teamMembers.userId })
    .from(teamMembers)
    .where(and(eq(teamMembers.orgId, orgId), inArray(teamMembers.teamId, led)))
    .all()
    .map((row) => row.userId);
}
