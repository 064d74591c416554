import { and, eq, ne } from "drizzle-orm";
import { projectMembers, projects } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch } from "../../http/etag.ts";
import { actorName, assertMember, findMember } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import { assertMembers, fieldChanges, isUniqueViolation, takenError } from "../change-kit.ts";
import type { CreateProjectInput, UpdateProjectInput } from "./schemas.ts";
import { findProjectById, type ProjectRecord, projectEtag, projectOrNotFound } from "./service.ts";
import { findProjectTemplate, insertTemplateTasks } from "./templates.ts";

/**
 * Creates a project (owner defaults to the caller) with its members and, from a template, its
 * first tasks, all in one transaction with the `project.created` event. 409 on a taken code.
 */
export function createProject(ctx: ServiceContext, input: CreateProjectInput, now = new Date()): ProjectRecord {
  const ownerId = input.ownerId === undefined ? ctx.userId : input.ownerId;
  if (ownerId !== null) assertMember(ctx.db, ctx.orgId, ownerId, "ownerId");
  assertMembers(ctx.db, ctx.orgId, input.memberIds, "memberIds");
  const template = input.template ? findProjectTemplate(ctx.db, ctx.orgId, input.template) : null;
  assertCodeFree(ctx.db, ctx.orgId, input.code);
  const id = newId("prj", now.getTime());
  guardUnique(input.code, () =>
    ctx.db.transaction((tx) => {
      tx.insert(projects)
        .values({
          id,
          orgId: ctx.orgId,
          name: input.name,
          code: input.code,
          description: input.description,
          status: input.status,
          ownerId,
          startDate: input.startDate ?? null,
          targetDate: input.targetDate ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .run();
      for (const userId of input.memberIds)
        tx.insert(projectMembers).values({ projectId: id, userId, orgId: ctx.orgId }).run();
      const taskIds = template
        ? insertTemplateTasks(tx, { orgId: ctx.orgId, projectId: id, reporterId: ctx.userId, template }, now)
        : [];
      publishEvent(
        tx,
        ctx,
        {
          type: "project.created",
          subjectType: "project",
          subjectId: id,
          summary: `${actorName(ctx.db, ctx)} created the project “${input.name}” (${input.code})`,
          data: { name: input.name, code: input.code, template: template?.name ?? null, taskIds },
          audience: [ownerId, ...input.memberIds],
        },
        now,
      );
    }),
  );
  return mustFind(ctx, id);
}

/**
 * Changes a project's fields (and, with `memberIds`, its whole member list). Archiving is a
 * change of status to `archived` and publishes `project.archived`; anything else `project.updated`.
 * `ifMatch` guards against stale writes (412).
 */
export function updateProject(
  ctx: ServiceContext,
  id: string,
  input: UpdateProjectInput,
  ifMatch?: string,
  now = new Date(),
): ProjectRecord {
  const record = projectOrNotFound(ctx, id);
  assertIfMatch(ifMatch, projectEtag(record));
  const startDate = input.startDate === undefined ? record.startDate : input.startDate;
  const targetDate = input.targetDate === undefined ? record.targetDate : input.targetDate;
  if (startDate && targetDate && targetDate < startDate) {
    const path = input.targetDate === undefined ? "startDate" : "targetDate";
    throw new AppError("validation_failed", "The request is not valid.", [
      { path, message: "The target date cannot be before the start date." },
    ]);
  }
  // Only newcomers are checked: people who left stay where they were until someone removes them.
  if (input.ownerId && input.ownerId !== record.ownerId) assertMember(ctx.db, ctx.orgId, input.ownerId, "ownerId");
  if (input.memberIds) assertNewMembers(ctx, input.memberIds, record.memberIds);
  if (input.code !== undefined && input.code !== record.code) assertCodeFree(ctx.db, ctx.orgId, input.code, id);

  const { memberIds, ...fields } = input;
  const changes = fieldChanges(record, fields);
  const membersChanged = memberIds !== undefined && !sameSet(memberIds, record.memberIds);
  if (Object.keys(changes).length === 0 && !membersChanged) return record;

  const archived = changes.status?.to === "archived";
  const name = input.name ?? record.name;
  guardUnique(input.code ?? record.code, () =>
    ctx.db.transaction((tx) => {
      tx.update(projects)
        .set({ ...fields, updatedAt: now })
        .where(and(eq(projects.orgId, ctx.orgId), eq(projects.id, id)))
        .run();
      if (memberIds && membersChanged) replaceMembers(tx, ctx.orgId, id, memberIds);
      publishEvent(
        tx,
        ctx,
        {
          type: archived ? "project.archived" : "project.updated",
          subjectType: "project",
          subjectId: id,
          summary: archived
            ? `${actorName(ctx.db, ctx)} archived the project “${name}”`
            : `${actorName(ctx.db, ctx)} updated the project “${name}”`,
          data: {
            changes,
            ...(membersChanged ? { memberIds: { from: record.memberIds, to: memberIds } } : {}),
          },
          audience: [record.ownerId, input.ownerId, ...(memberIds ?? record.memberIds)],
        },
        now,
      );
    }),
  );
  return mustFind(ctx, id);
}

/** Adds a person of the organisation to the project's members (nothing changes if they already are). */
export function addProjectMember(ctx: ServiceContext, id: string, userId: string, now = new Date()): ProjectRecord {
  const record = projectOrNotFound(ctx, id);
  const member = findMember(ctx.db, ctx.orgId, userId);
  if (!member) throw notFound("person");
  if (record.memberIds.includes(userId)) return record;
  ctx.db.transaction((tx) => {
    tx.insert(projectMembers).values({ projectId: id, userId, orgId: ctx.orgId }).run();
    publishEvent(
      tx,
      ctx,
      {
        type: "project.updated",
        subjectType: "project",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} added ${member.name} to the project “${record.name}”`,
        data: { memberAdded: userId },
        audience: [userId],
      },
      now,
    );
  });
  return mustFind(ctx, id);
}

/** Takes a person off the project's members; 404 when they are not one. */
export function removeProjectMember(ctx: ServiceContext, id: string, userId: string, now = new Date()): ProjectRecord {
  const record = projectOrNotFound(ctx, id);
  if (!record.memberIds.includes(userId))
    throw new AppError("not_found", "This person is not a member of the project.");
  ctx.db.transaction((tx) => {
    tx.delete(projectMembers)
      .where(and(eq(projectMembers.projectId, id), eq(projectMembers.userId, userId)))
      .run();
    publishEvent(
      tx,
      ctx,
      {
        type: "project.updated",
        subjectType: "project",
        subjectId: id,
        summary: `${actorName(ctx.db, ctx)} removed a member from the project “${record.name}”`,
        data: { memberRemoved: userId },
        audience: [userId],
      },
      now,
    );
  });
  return mustFind(ctx, id);
}

function assertNewMembers(ctx: ServiceContext, memberIds: readonly string[], current: readonly string[]): void {
  memberIds.forEach((userId, index) => {
    if (!current.includes(userId)) assertMember(ctx.db, ctx.orgId, userId, `memberIds.${index}`);
  });
}

function replaceMembers(tx: Queryable, orgId: string, projectId: string, memberIds: string[]): void {
  tx.delete(projectMembers).where(eq(projectMembers.projectId, projectId)).run();
  for (const userId of memberIds) tx.insert(projectMembers).values({ projectId, userId, orgId }).run();
}

function assertCodeFree(db: Queryable, orgId: string, code: string, exceptId?: string): void {
  const taken = db
    .select({ name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), eq(projects.code, code), exceptId ? ne(projects.id, exceptId) : undefined))
    .get();
  if (taken) throw takenError("code", `The code ${code} is already used by the project “${taken.name}”.`);
}

/** The unique index still decides when two requests race for the same code. */
function guardUnique(code: string, write: () => void): void {
  try {
    write();
  } catch (error) {
    if (isUniqueViolation(error)) throw takenError("code", `The code ${code} is already used by another project.`);
    throw error;
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function mustFind(ctx: ServiceContext, id: string): ProjectRecord {
  const record = findProjectById(ctx, id);
  if (!record) throw new AppError("internal", "The project could not be read back.");
  return record;
}
