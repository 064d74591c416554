import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import {
  type ApprovalPipeline,
  type ApprovalStepSpec,
  type ApprovalSubjectType,
  approvalPipelines,
} from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { decodeCursor, pageOf } from "../../http/cursor.ts";
import { AppError, notFound } from "../../http/errors.ts";
import { assertIfMatch, etagOf } from "../../http/etag.ts";
import { actorName } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import { normaliseSteps, replaceSteps, stepsOfPipelines } from "./pipeline-steps.ts";
import type { CreatePipelineInput, PipelineListQuery, UpdatePipelineInput } from "./schemas.ts";

export type PipelineWithSteps = ApprovalPipeline & { steps: ApprovalStepSpec[] };

export type PipelineJson = {
  id: string;
  name: string;
  subjectType: ApprovalSubjectType | null;
  description: string;
  steps: ApprovalStepSpec[];
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export function pipelineJson(pipeline: PipelineWithSteps): PipelineJson {
  return {
    id: pipeline.id,
    name: pipeline.name,
    subjectType: pipeline.subjectType,
    description: pipeline.description,
    steps: pipeline.steps,
    archivedAt: pipeline.archivedAt?.toISOString() ?? null,
    createdAt: pipeline.createdAt.toISOString(),
    updatedAt: pipeline.updatedAt.toISOString(),
  };
}

export function pipelineEtag(pipeline: PipelineWithSteps): string {
  return etagOf(pipelineJson(pipeline));
}

/** The organisation's pipelines by name (then id), archived ones only when asked. */
export function listPipelines(
  ctx: ServiceContext,
  query: PipelineListQuery,
): { data: PipelineWithSteps[]; nextCursor: string | null } {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, 2);
  const [afterName, afterId] = after ?? [];
  const rows = ctx.db
    .select()
    .from(approvalPipelines)
    .where(
      and(
        eq(approvalPipelines.orgId, ctx.orgId),
        query.includeArchived === "true" ? undefined : isNull(approvalPipelines.archivedAt),
        query.subjectType ? eq(approvalPipelines.subjectType, query.subjectType) : undefined,
        after ? gtNameId(String(afterName ?? ""), String(afterId ?? "")) : undefined,
      ),
    )
    .orderBy(asc(approvalPipelines.name), asc(approvalPipelines.id))
    .limit(query.limit + 1)
    .all();
  const page = pageOf(rows, query.limit, (row) => [row.name, row.id]);
  const steps = stepsOfPipelines(
    ctx.db,
    page.data.map((row) => row.id),
  );
  return { data: page.data.map((row) => ({ ...row, steps: steps.get(row.id) ?? [] })), nextCursor: page.nextCursor };
}

/** The open pipelines a new request of one of these subject types may go through (theirs, or any kind), by name. */
export function pipelinesTaking(
  ctx: ServiceContext,
  subjectTypes: readonly ApprovalSubjectType[],
): PipelineWithSteps[] {
  return listPipelines(ctx, { limit: 200, includeArchived: "false" }).data.filter(
    (pipeline) => pipeline.subjectType === null || subjectTypes.includes(pipeline.subjectType),
  );
}

/** (name, id) > (afterName, afterId): a keyset order that survives inserts and renames elsewhere. */
function gtNameId(name: string, id: string) {
  return or(gt(approvalPipelines.name, name), and(eq(approvalPipelines.name, name), gt(approvalPipelines.id, id)));
}

/** A pipeline of the caller's organisation with its steps, or null (also for another organisation's). */
export function findPipelineById(db: Queryable, orgId: string, id: string): PipelineWithSteps | null {
  const pipeline = db
    .select()
    .from(approvalPipelines)
    .where(and(eq(approvalPipelines.id, id), eq(approvalPipelines.orgId, orgId)))
    .get();
  if (!pipeline) return null;
  return { ...pipeline, steps: stepsOfPipelines(db, [id]).get(id) ?? [] };
}

/** The pipeline, or 404 "No such approval pipeline." for unknown ids and other organisations' pipelines. */
export function pipelineOrNotFound(ctx: { db: Queryable; orgId: string }, id: string): PipelineWithSteps {
  const pipeline = findPipelineById(ctx.db, ctx.orgId, id);
  if (!pipeline) throw notFound("approval pipeline");
  return pipeline;
}

function assertNameFree(db: Queryable, orgId: string, name: string, exceptId: string | null) {
  const taken = db
    .select({ id: approvalPipelines.id })
    .from(approvalPipelines)
    .where(and(eq(approvalPipelines.orgId, orgId), eq(approvalPipelines.name, name)))
    .get();
  if (taken && taken.id !== exceptId) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path: "name", message: "Another pipeline (perhaps an archived one) already has this name." },
    ]);
  }
}

/** A new pipeline with its ordered steps. */
export function createPipeline(ctx: ServiceContext, input: CreatePipelineInput, now = new Date()): PipelineWithSteps {
  return ctx.db.transaction((tx) => {
    assertNameFree(tx, ctx.orgId, input.name, null);
    const steps = normaliseSteps(tx, ctx.orgId, input.steps);
    const pipeline = tx
      .insert(approvalPipelines)
      .values({
        id: newId("apl", now.getTime()),
        orgId: ctx.orgId,
        name: input.name,
        subjectType: input.subjectType,
        description: input.description,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    replaceSteps(tx, pipeline, steps);
    publishEvent(tx, ctx, {
      type: "approval_pipeline.created",
      subjectType: "approval_pipeline",
      subjectId: pipeline.id,
      summary: `${actorName(tx, ctx)} created the approval pipeline “${pipeline.name}”`,
      data: { name: pipeline.name, subjectType: pipeline.subjectType, steps: steps.length },
    });
    return { ...pipeline, steps };
  });
}

/** Changes a pipeline; `steps` replaces them all. Requests already started keep their own copy. */
export function updatePipeline(
  ctx: ServiceContext,
  id: string,
  input: UpdatePipelineInput,
  ifMatch?: string,
  now = new Date(),
): PipelineWithSteps {
  return ctx.db.transaction((tx) => {
    const current = pipelineOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    assertIfMatch(ifMatch, pipelineEtag(current));
    if (input.name !== undefined) assertNameFree(tx, ctx.orgId, input.name, id);
    const steps = input.steps ? normaliseSteps(tx, ctx.orgId, input.steps) : current.steps;
    const updated = tx
      .update(approvalPipelines)
      .set({
        name: input.name ?? current.name,
        subjectType: input.subjectType === undefined ? current.subjectType : input.subjectType,
        description: input.description ?? current.description,
        updatedAt: now,
      })
      .where(and(eq(approvalPipelines.id, id), eq(approvalPipelines.orgId, ctx.orgId)))
      .returning()
      .get();
    if (input.steps) replaceSteps(tx, updated, steps);
    publishEvent(tx, ctx, {
      type: "approval_pipeline.updated",
      subjectType: "approval_pipeline",
      subjectId: id,
      summary: `${actorName(tx, ctx)} changed the approval pipeline “${updated.name}”`,
      data: { fields: Object.keys(input).filter((key) => input[key as keyof UpdatePipelineInput] !== undefined) },
    });
    return { ...updated, steps };
  });
}

/** Archives a pipeline: it takes no new requests; requests under way finish as they started. */
export function archivePipeline(ctx: ServiceContext, id: string, now = new Date()): PipelineWithSteps {
  return ctx.db.transaction((tx) => {
    const current = pipelineOrNotFound({ db: tx, orgId: ctx.orgId }, id);
    if (current.archivedAt) return current;
    const updated = tx
      .update(approvalPipelines)
      .set({ archivedAt: now, updatedAt: now })
      .where(and(eq(approvalPipelines.id, id), eq(approvalPipelines.orgId, ctx.orgId)))
      .returning()
      .get();
    publishEvent(tx, ctx, {
      type: "approval_pipeline.archived",
      subjectType: "approval_pipeline",
      subjectId: id,
      summary: `${actorName(tx, ctx)} archived the approval pipeline “${updated.name}”`,
    });
    return { ...updated, steps: current.steps };
  });
}

/**
 * The pipeline a new request goes through: the one named (it must fit the subject and not be
 * archived), else the organisation's pipeline for the subject type, else one for any subject.
 */
export function choosePipeline(
  db: Queryable,
  orgId: string,
  subjectType: ApprovalSubjectType,
  pipelineId: string | null | undefined,
): PipelineWithSteps {
  if (pipelineId) {
    const named = findPipelineById(db, orgId, pipelineId);
    if (!named) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "pipelineId", message: "No such approval pipeline in this organisation." },
      ]);
    }
    if (named.subjectType !== null && named.subjectType !== subjectType) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "pipelineId", message: `This pipeline is for ${named.subjectType} requests, not ${subjectType}.` },
      ]);
    }
    if (named.archivedAt)
      throw new AppError("conflict", `The pipeline “${named.name}” is archived and takes no new requests.`);
    return named;
  }
  for (const type of [subjectType, null]) {
    const found = db
      .select({ id: approvalPipelines.id })
      .from(approvalPipelines)
      .where(
        and(
          eq(approvalPipelines.orgId, orgId),
          isNull(approvalPipelines.archivedAt),
          type === null ? isNull(approvalPipelines.subjectType) : eq(approvalPipelines.subjectType, type),
        ),
      )
      .orderBy(asc(approvalPipelines.id))
      .get();
    const pipeline = found ? findPipelineById(db, orgId, found.id) : null;
    if (pipeline) return pipeline;
  }
  throw new AppError(
    "conflict",
    `No approval pipeline takes ${subjectType} requests. Create one under Approvals → Pipelines (or POST /api/v1/approval-pipelines) with subject type “${subjectType}” or “any”, then try again.`,
  );
}
