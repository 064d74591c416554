import { and, eq, ne, sql } from "drizzle-orm";
import { teamMembers, teams } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { type EventInput, publishEvent } from "../../events/publish.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { actorName, assertMember, findMember } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import { assertMembers, fieldChanges, isUniqueViolation, takenError } from "../change-kit.ts";
import type { CreateTeamInput, UpdateTeamInput } from "./schemas.ts";
import { findTeamById, type TeamRecord, teamEtag, teamOrNotFound } from "./service.ts";

/** Creates a team with its lead and members and the `team.created` event. 409 on a taken name. */
export function createTeam(ctx: ServiceContext, input: CreateTeamInput, now = new Date()): TeamRecord {
  const leadId = input.leadId ?? null;
  if (leadId) assertMember(ctx.db, ctx.orgId, leadId, "leadId");
  assertMembers(ctx.db, ctx.orgId, input.memberIds, "memberIds");
  assertNameFree(ctx.db, ctx.orgId, input.name);
  const id = newId("tem", now.getTime());
  guardUnique(input.name, () =>
    ctx.db.transaction((tx) => {
      tx.insert(teams).values({ id, orgId: ctx.orgId, name: input.name, leadId, createdAt: now, updatedAt: now }).run();
      for (const userId of input.memberIds)
        tx.insert(teamMembers).values({ teamId: id, userId, orgId: ctx.orgId }).run();
      publish(tx, ctx, now, {
        type: "team.created",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} created the team “${input.name}”`,
        data: { name: input.name, leadId, memberIds: input.memberIds },
        audience: [leadId, ...input.memberIds],
      });
    }),
  );
  return mustFind(ctx, id);
}

/** Renames a team, changes its lead or replaces its members; `ifMatch` guards against stale writes (412). */
export function updateTeam(
  ctx: ServiceContext,
  id: string,
  input: UpdateTeamInput,
  ifMatch?: string,
  now = new Date(),
): TeamRecord {
  const record = teamOrNotFound(ctx, id);
  assertIfMatch(ifMatch, teamEtag(record));
  // Only newcomers are checked: people who left stay where they were until someone removes them.
  if (input.leadId && input.leadId !== record.leadId) assertMember(ctx.db, ctx.orgId, input.leadId, "leadId");
  input.memberIds?.forEach((userId, index) => {
    if (!record.memberIds.includes(userId)) assertMember(ctx.db, ctx.orgId, userId, `memberIds.${index}`);
  });
  if (input.name !== undefined && input.name !== record.name) assertNameFree(ctx.db, ctx.orgId, input.name, id);
  const { memberIds, ...fields } = input;
  const changes = fieldChanges(record, fields);
  const membersChanged =
    memberIds !== undefined &&
    (memberIds.length !== record.memberIds.length || memberIds.some((userId) => !record.memberIds.includes(userId)));
  if (Object.keys(changes).length === 0 && !membersChanged) return record;
  const name = input.name ?? record.name;
  guardUnique(name, () =>
    ctx.db.transaction((tx) => {
      tx.update(teams)
        .set({ ...fields, updatedAt: now })
        .where(and(eq(teams.orgId, ctx.orgId), eq(teams.id, id)))
        .run();
      if (memberIds && membersChanged) {
        tx.delete(teamMembers).where(eq(teamMembers.teamId, id)).run();
        for (const userId of memberIds) tx.insert(teamMembers).values({ teamId: id, userId, orgId: ctx.orgId }).run();
      }
      publish(tx, ctx, now, {
        type: "team.updated",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} updated the team “${name}”`,
        data: { changes, ...(membersChanged ? { memberIds: { from: record.memberIds, to: memberIds } } : {}) },
        audience: [record.leadId, input.leadId, ...(memberIds ?? record.memberIds)],
      });
    }),
  );
  return mustFind(ctx, id);
}

/** Deletes a team (its memberships go with it) and publishes `team.deleted`. */
export function deleteTeam(ctx: ServiceContext, id: string, now = new Date()): void {
  const record = teamOrNotFound(ctx, id);
  ctx.db.transaction((tx) => {
    tx.delete(teams)
      .where(and(eq(teams.orgId, ctx.orgId), eq(teams.id, id)))
      .run();
    publish(tx, ctx, now, {
      type: "team.deleted",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} deleted the team “${record.name}”`,
      data: { name: record.name },
      audience: [record.leadId, ...record.memberIds],
    });
  });
}

/** Adds a person of the organisation to the team (nothing changes if they already belong). */
export function addTeamMember(ctx: ServiceContext, id: string, userId: string, now = new Date()): TeamRecord {
  const record = teamOrNotFound(ctx, id);
  const member = findMember(ctx.db, ctx.orgId, userId);
  if (!member) throw notFound("person");
  if (record.memberIds.includes(userId)) return record;
  ctx.db.transaction((tx) => {
    tx.insert(teamMembers).values({ teamId: id, userId, orgId: ctx.orgId }).run();
    publish(tx, ctx, now, {
      type: "team.updated",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} added ${member.name} to the team “${record.name}”`,
      data: { memberAdded: userId },
      audience: [userId, record.leadId],
    });
  });
  return mustFind(ctx, id);
}

/** Takes a person off the team; 404 when they are not on it. */
export function removeTeamMember(ctx: ServiceContext, id: string, userId: string, now = new Date()): TeamRecord {
  const record = teamOrNotFound(ctx, id);
  if (!record.memberIds.includes(userId)) throw new AppError("not_found", "This person is not on the team.");
  ctx.db.transaction((tx) => {
    tx.delete(teamMembers)
      .where(and(eq(teamMembers.teamId, id), eq(teamMembers.userId, userId)))
      .run();
    publish(tx, ctx, now, {
      type: "team.updated",
      subjectId: id,
      summary: `${actorName(ctx.db, ctx)} removed a member from the team “${record.name}”`,
      data: { memberRemoved: userId },
      audience: [userId, record.leadId],
    });
  });
  return mustFind(ctx, id);
}

function publish(
  tx: Queryable,
  ctx: ServiceContext,
  now: Date,
  event: Omit<EventInput, "subjectType"> & { subjectId: string },
): void {
  publishEvent(tx, ctx, { ...event, subjectType: "team" }, now);
}

function assertNameFree(db: Queryable, orgId: string, name: string, exceptId?: string): void {
  const taken = db
    .select({ id: teams.id })
    .from(teams)
    // Names differing only in case would look like the same team in every picker.
    .where(
      and(
        eq(teams.orgId, orgId),
        sql`lower(${teams.name}) = lower(${name})`,
        exceptId ? ne(teams.id, exceptId) : undefined,
      ),
    )
    .get();
  if (taken) throw takenError("name", `There is already a team called “${name}”.`);
}

function guardUnique(name: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if (isUniqueViolation(error)) throw takenError("name", `There is already a team called “${name}”.`);
    throw error;
  }
}

function mustFind(ctx: ServiceContext, id: string): TeamRecord {
  const record = findTeamById(ctx, id);
  if (!record) throw new AppError("internal", "The team could not be read back.");
  return record;
}
