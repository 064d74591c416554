/** @jsxImportSource hono/jsx */
import { asc, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { equipment } from "../../models/work.ts";
import { assets } from "../../views/assets.ts";
import { DocumentListPage } from "../../views/pages/knowledge/document-list.tsx";
import { type DocumentFormValues, DocumentPage } from "../../views/pages/knowledge/document-page.tsx";
import type { ApprovalFormValues } from "../../views/partials/knowledge/document-approval.tsx";
import { renderPage } from "../console/render.tsx";
import { latestEventId } from "../events/ids.ts";
import { formCsrf, redirectTo } from "../http/console-forms.ts";
import { insufficientStorage, isDiskFullError } from "../http/disk-space.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { type FormRefusal, type FormSpec, type PostedForm, refusalFrom, validateForm } from "../http/validate-form.ts";
import { documentHref } from "../tools/document-links.ts";
import { queryString } from "../tools/query-string.ts";
import { pipelinesTaking } from "../work/approvals/pipelines.ts";
import { projectOptions } from "../work/projects/options.ts";
import { submitDocument } from "./approval.ts";
import { deleteDocument, retryDocument, updateDocument } from "./changes.ts";
import { documentPageProps, listForPage, readListFilters } from "./console-data.ts";
import { documentsStream } from "./console-live.tsx";
import { submitDocumentInput, updateDocumentInput } from "./schemas.ts";
import { type DocumentRecord, documentEtag, documentJson, documentOrNotFound, listDocumentFacets } from "./service.ts";

const documentForm: FormSpec<DocumentFormValues> = {
  values: valuesOf,
  input: inputOf,
  // Drawn from the current version, keeping what this person typed.
  invalid: (c, values, refusal) =>
    renderDocument(c, documentOrNotFound(serviceContext(c), c.req.param("id") ?? ""), 1, null, { values, refusal }),
  refusal: refusalOf,
};

const submitForm: FormSpec<ApprovalFormValues> = {
  values: (form) => ({ pipelineId: form.text("pipelineId"), details: form.text("details") }),
  input: (values) => ({ pipelineId: values.pipelineId || null, details: values.details }),
  invalid: (c, values, refusal) =>
    renderDocument(c, documentOrNotFound(serviceContext(c), c.req.param("id") ?? ""), 1, null, undefined, {
      values,
      error: Object.values(refusal.errors).join(" "),
      status: refusal.status,
    }),
  refusal: refusalOf,
};

/** /documents pages: the list with uploads, one document's page (with its text by page), edit, delete, retry. */
export const documentsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const filters = readListFilters(c.req.query());
    const cursor = z.string().max(500).optional().catch(undefined).parse(c.req.query("cursor"));
    const page = listForPage(c, filters, cursor);
    const canUpload = ctx.permissions.has("documents.upload");
    const live = c.var.auth?.via === "session";
    return renderPage(
      c,
      { title: "Knowledge", current: "/documents", scripts: canUpload ? [assets.documents] : [] },
      <DocumentListPage
        items={page.data.map(documentJson)}
        filters={filters}
        facets={listDocumentFacets(ctx)}
        moreHref={page.nextCursor ? `/documents${queryString({ ...filters, cursor: page.nextCursor })}` : null}
        upload={canUpload ? { csrf: formCsrf(c), maxBytes: c.var.deps.config.maxUploadBytes } : null}
        streamUrl={live ? `/documents/stream${queryString({ ...filters, after: latestEventId(ctx) })}` : null}
      />,
    );
  })
  .route("/", documentsStream)
  .get("/:id", requirePermission("workspace.read"), (c) =>
    renderDocument(c, documentOrNotFound(serviceContext(c), c.req.param("id")), 1, null),
  )
  .get("/:id/pages/:page", requirePermission("workspace.read"), (c) => {
    const page = Number.parseInt(c.req.param("page"), 10);
    if (!Number.isInteger(page) || page < 1) throw notFound("page");
    return renderDocument(c, documentOrNotFound(serviceContext(c), c.req.param("id")), page, page);
  })
  .post("/:id", requirePermission("documents.upload"), validateForm(updateDocumentInput, documentForm), (c) => {
    const record = documentOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const { input, form, refused } = c.req.valid("form");
    try {
      updateDocument(serviceContext(c), record.id, input, form.text("etag") || undefined);
      return redirectTo(c, documentHref(record.id));
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/delete", requirePermission("documents.upload"), (c) => {
    deleteDocument(
      serviceContext(c),
      c.var.deps.config.dataDir,
      documentOrNotFound(serviceContext(c), c.req.param("id")).id,
    );
    return redirectTo(c, "/documents");
  })
  .post("/:id/submit", requirePermission("documents.upload"), validateForm(submitDocumentInput, submitForm), (c) => {
    const record = documentOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const { input, refused } = c.req.valid("form");
    try {
      submitDocument(serviceContext(c), record.id, input);
      return redirectTo(c, documentHref(record.id));
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/retry", requirePermission("documents.upload"), (c) => {
    const record = retryDocument(serviceContext(c), documentOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, documentHref(record.id));
  });

/** A full disk is told on the form, which keeps what the person typed (507), like any other refusal. */
function refusalOf(error: unknown): FormRefusal {
  if (isDiskFullError(error)) return { errors: { form: insufficientStorage().message }, status: 507 };
  return refusalFrom(error);
}

function valuesOf(posted: PostedForm): DocumentFormValues {
  return {
    title: posted.text("title"),
    category: posted.text("category"),
    tags: posted.text("tags"),
    equipmentIds: posted.list("equipmentIds"),
    projectIds: posted.list("projectIds"),
  };
}

function inputOf(values: DocumentFormValues) {
  return {
    title: values.title,
    category: values.category.trim() === "" ? null : values.category,
    tags: values.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    equipmentIds: values.equipmentIds,
    projectIds: values.projectIds,
  };
}

function valuesOfRecord(record: DocumentRecord): DocumentFormValues {
  return {
    title: record.title,
    category: record.category ?? "",
    tags: record.tags.join(", "),
    equipmentIds: record.equipmentIds,
    projectIds: record.projectIds,
  };
}

function renderDocument(
  c: Context<AppEnv>,
  record: DocumentRecord,
  page: number,
  focus: number | null,
  refused?: { values: DocumentFormValues; refusal: FormRefusal },
  approvalRefused?: { values: ApprovalFormValues; error: string; status: ContentfulStatusCode },
) {
  const ctx = serviceContext(c);
  const props = documentPageProps(c, record, page, focus);
  const values = refused?.values ?? valuesOfRecord(record);
  const equipmentOptions = ctx.db
    .select({ value: equipment.id, label: equipment.name })
    .from(equipment)
    .where(eq(equipment.orgId, ctx.orgId))
    .orderBy(asc(equipment.name))
    .limit(500)
    .all();
  const status: ContentfulStatusCode = refused?.refusal.status ?? approvalRefused?.status ?? 200;
  const live = c.var.auth?.via === "session";
  return renderPage(
    c,
    { title: record.title, current: "/documents" },
    <DocumentPage
      {...props}
      form={
        props.canChange
          ? {
              values,
              errors: refused?.refusal.errors ?? {},
              etag: documentEtag(record),
              equipment: equipmentOptions,
              projects: projectOptions(ctx, values.projectIds),
            }
          : null
      }
      streamUrl={live ? `/documents/stream?document=${record.id}&after=${latestEventId(ctx)}` : null}
      approval={{
        documentId: record.id,
        status: record.approvalStatus,
        requestId: record.approvalRequestId,
        pipelines: pipelinesTaking(ctx, ["document"]).map((pipeline) => ({ id: pipeline.id, name: pipeline.name })),
        form: props.canChange
          ? {
              values: approvalRefused?.values ?? { pipelineId: "", details: "" },
              error: approvalRefused?.error ?? null,
              csrf: props.csrf,
            }
          : null,
      }}
    />,
    status,
  );
}
