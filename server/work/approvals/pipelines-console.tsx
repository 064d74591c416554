/** @jsxImportSource hono/jsx */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { PipelineEditorPage } from "../../../views/pages/work/approvals/pipeline-editor.tsx";
import { PipelinesPage } from "../../../views/pages/work/approvals/pipelines.tsx";
import type { Flash, PipelineFormValues } from "../../../views/pages/work/approvals/types.ts";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, readPostedForm, validateForm } from "../../http/validate-form.ts";
import { pipelineEditorProps, pipelinesListProps } from "./console-props.ts";
import { applyOp, editorErrors, emptyStep, pipelineInputOf, readPipelineForm, valuesOf } from "./pipeline-form.ts";
import {
  archivePipeline,
  createPipeline,
  type PipelineWithSteps,
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
  return renderPage(c, page, <PipelinesPage {...pipelinesListProps(c, flash)} />);
}

function renderEditor(
  c: Context<AppEnv>,
  pipeline: PipelineWithSteps | null,
  values: PipelineFormValues,
  errors: Record<string, string> = {},
  status: ContentfulStatusCode = 200,
  etag?: string,
) {
  const title = pipeline ? `Edit ${pipeline.name}` : "New approval pipeline";
  const props = pipelineEditorProps(c, pipeline, values, errors, etag);
  return renderPage(c, { ...page, title }, <PipelineEditorPage {...props} />, status);
}

/** A row button (add, remove, move) answers the re-arranged form, neither checked nor saved. */
const editorOps: MiddlewareHandler<AppEnv> = async (c, next) => {
  const form = await readPostedForm(c);
  const { values, op } = readPipelineForm(form);
  if (op.kind === "save") return next();
  const pipeline =
    c.req.param("id") === undefined ? null : pipelineOrNotFound(serviceContext(c), c.req.param("id") ?? "");
  return renderEditor(c, pipeline, applyOp(values, op), {}, 200, form.text("etag"));
};

type PostedEditor = { values: PipelineFormValues; etag: string };

/** Saving the editor (create or update); refusals come back with what was typed. */
function editorForm(editing: boolean): FormSpec<PostedEditor> {
  return {
    values: (form) => ({ values: readPipelineForm(form).values, etag: form.text("etag") }),
    input: (posted) => pipelineInputOf(posted.values),
    fields: editorErrors,
    invalid: (c, posted, refusal) =>
      renderEditor(
        c,
        editing ? pipelineOrNotFound(serviceContext(c), c.req.param("id") ?? "") : null,
        posted.values,
        refusal.errors,
        refusal.status,
        posted.etag,
      ),
    refusal: (error) => {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "validation_failed") return { errors: editorErrors(error.details), status: 422 };
      if (error.code === "precondition_failed") {
        const message = "Someone changed this pipeline since you opened it. Reload the page to see their version.";
        return { errors: { form: message }, status: 412 };
      }
      throw error;
    },
  };
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
  .post(
    "/",
    requirePermission("projects.manage"),
    editorOps,
    validateForm(createPipelineInput, editorForm(false)),
    (c) => {
      const { input, refused } = c.req.valid("form");
      try {
        createPipeline(serviceContext(c), input);
        return redirectTo(c, "/approvals/pipelines?notice=saved");
      } catch (error) {
        return refused(error);
      }
    },
  )
  .get("/:id", requirePermission("projects.manage"), (c) => {
    const pipeline = pipelineOrNotFound(serviceContext(c), c.req.param("id"));
    return renderEditor(c, pipeline, valuesOf(pipeline));
  })
  .post(
    "/:id",
    requirePermission("projects.manage"),
    editorOps,
    validateForm(updatePipelineInput, editorForm(true)),
    (c) => {
      const pipeline = pipelineOrNotFound(serviceContext(c), c.req.param("id") ?? "");
      const { input, values, refused } = c.req.valid("form");
      try {
        updatePipeline(serviceContext(c), pipeline.id, input, values.etag || undefined);
        return redirectTo(c, "/approvals/pipelines?notice=saved");
      } catch (error) {
        return refused(error);
      }
    },
  )
  .post("/:id/archive", requirePermission("projects.manage"), (c) => {
    archivePipeline(serviceContext(c), pipelineOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, "/approvals/pipelines?notice=archived");
  });
