/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PipelineEditorPage } from "../../../views/pages/work/approvals/pipeline-editor.tsx";
import { PipelinesPage } from "../../../views/pages/work/approvals/pipelines.tsx";
import type { Flash, PipelineEditorProps, PipelineFormValues } from "../../../views/pages/work/approvals/types.ts";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, readForm, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, detailsFromZod } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { namesOf } from "../../members/directory.ts";
import { approverChoices, approverText, subjectLabel } from "./console-props.ts";
import { applyOp, editorErrors, emptyStep, pipelineInputOf, readPipelineForm, valuesOf } from "./pipeline-form.ts";
import { roleNames } from "./pipeline-steps.ts";
import {
  archivePipeline,
  createPipeline,
  listPipelines,
  type PipelineWithSteps,
  pipelineEtag,
  pipelineOrNotFound,
  updatePipeline,
} from "./pipelines.ts";
import { createPipelineInput, updatePipelineInput } from "./schemas.ts";

const notices: Record<string, string> = {
  saved: "The pipeline was saved. Requests already under way keep the steps they started with.",
  archived: "The pipeline is archived: it takes no new requests.",
};

const page = { title: "Approval pipelines", current: "/approvals" };

function renderList(c: Context<AppEnv>, flash: Flash | null = null) {
  const ctx = serviceContext(c);
  const pipelines = listPipelines(ctx, { limit: 200, includeArchived: "true" }).data;
  const people = namesOf(
    ctx.db,
    ctx.orgId,
    pipelines.flatMap((pipeline) => pipeline.steps.map((step) => step.approverUserId)),
  );
  const roles = roleNames(ctx.db, ctx.orgId);
  const rows = pipelines.map((pipeline) => ({
    id: pipeline.id,
    name: pipeline.name,
    subjectLabel: subjectLabel(pipeline.subjectType),
    stepsText: pipeline.steps.map((step) => `${step.name} (${approverText(step, people, roles)})`).join(" → "),
    archived: pipeline.archivedAt !== null,
  }));
  return renderPage(c, page, <PipelinesPage rows={rows} flash={flash} />);
}

function renderEditor(
  c: Context<AppEnv>,
  pipeline: PipelineWithSteps | null,
  values: PipelineFormValues,
  errors: Record<string, string> = {},
  status: ContentfulStatusCode = 200,
  etag?: string,
) {
  const ctx = serviceContext(c);
  const props: PipelineEditorProps = {
    pipelineId: pipeline?.id ?? null,
    archived: pipeline?.archivedAt != null,
    etag: etag ?? (pipeline ? pipelineEtag(pipeline) : ""),
    values,
    errors,
    choices: approverChoices(ctx.db, ctx.orgId),
    csrf: formCsrf(c),
  };
  const title = pipeline ? `Edit ${pipeline.name}` : "New approval pipeline";
  return renderPage(c, { ...page, title }, <PipelineEditorPage {...props} />, status);
}

/**
 * Saves the editor (create or update), or answers a row button (add, remove, move) with the
 * re-arranged form. Refusals come back with what was typed.
 */
async function submitEditor(c: Context<AppEnv>, pipeline: PipelineWithSteps | null) {
  const fields = await readForm(c);
  const { values, op } = readPipelineForm(fields);
  const etag = fields.etag ?? "";
  if (op.kind !== "save") return renderEditor(c, pipeline, applyOp(values, op), {}, 200, etag);
  const input = pipelineInputOf(values);
  const parsed = pipeline ? updatePipelineInput.safeParse(input) : createPipelineInput.safeParse(input);
  if (!parsed.success) return renderEditor(c, pipeline, values, editorErrors(detailsFromZod(parsed.error)), 422, etag);
  try {
    const ctx = serviceContext(c);
    if (pipeline) updatePipeline(ctx, pipeline.id, parsed.data, etag || undefined);
    else createPipeline(ctx, createPipelineInput.parse(input));
    return redirectTo(c, "/approvals/pipelines?notice=saved");
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.code === "validation_failed") {
      return renderEditor(c, pipeline, values, editorErrors(error.details), 422, etag);
    }
    if (error.code === "precondition_failed") {
      const message = "Someone changed this pipeline since you opened it. Reload the page to see their version.";
      return renderEditor(c, pipeline, values, { form: message }, 412, etag);
    }
    throw error;
  }
}

/** /approvals/pipelines: list, create, edit (ordered steps), archive. Only for projects.manage. */
export const pipelinesConsole = new Hono<AppEnv>()
  .get("/", requirePermission("projects.manage"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""];
    return renderList(c, notice ? { kind: "notice", text: notice } : null);
  })
  .get("/new", requirePermission("projects.manage"), (c) =>
    renderEditor(c, null, { name: "", subjectType: "", description: "", steps: [emptyStep()] }),
  )
  .post("/", requirePermission("projects.manage"), (c) => submitEditor(c, null))
  .get("/:id", requirePermission("projects.manage"), (c) => {
    const pipeline = pipelineOrNotFound(serviceContext(c), c.req.param("id"));
    return renderEditor(c, pipeline, valuesOf(pipeline));
  })
  .post("/:id", requirePermission("projects.manage"), (c) =>
    submitEditor(c, pipelineOrNotFound(serviceContext(c), c.req.param("id"))),
  )
  .post("/:id/archive", requirePermission("projects.manage"), (c) => {
    archivePipeline(serviceContext(c), pipelineOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, "/approvals/pipelines?notice=archived");
  });
