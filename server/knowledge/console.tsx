/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { assets } from "../../views/assets.ts";
import { DocumentListPage } from "../../views/pages/knowledge/document-list.tsx";
import { type DocumentFormValues, DocumentPage } from "../../views/pages/knowledge/document-page.tsx";
import type { ApprovalFormValues } from "../../views/partials/knowledge/document-approval.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import { insufficientStorage, isDiskFullError } from "../http/disk-space.ts";
import type { AppEnv } from "../http/env.ts";
import { notFound } from "../http/errors.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { type FormRefusal, type FormSpec, type PostedForm, refusalFrom, validateForm } from "../http/validate-form.ts";
import { documentHref } from "../tools/document-links.ts";
import { submitDocument } from "./approval.ts";
import { deleteDocument, retryDocument, updateDocument } from "./changes.ts";
import { listForPage, readListFilters } from "./console-data.ts";
import { documentsStream } from "./console-live.tsx";
import { documentListProps, documentPagePropsWithForms } from "./console-props.ts";
import { submitDocumentInput, updateDocumentInput } from "./schemas.ts";
import { type DocumentRecord, documentOrNotFound } from "./service.ts";

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
    return renderPage(
      c,
      { title: "Knowledge", current: "/documents", scripts: canUpload ? [assets.documents] : [] },
      <DocumentListPage {...documentListProps(c, page, filters)} />,
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

function renderDocument(
  c: Context<AppEnv>,
  record: DocumentRecord,
  page: number,
  focus: number | null,
  refused?: { values: DocumentFormValues; refusal: FormRefusal },
  approvalRefused?: { values: ApprovalFormValues; error: string; status: ContentfulStatusCode },
) {
  const status: ContentfulStatusCode = refused?.refusal.status ?? approvalRefused?.status ?? 200;
  return renderPage(
    c,
    { title: record.title, current: "/documents" },
    <DocumentPage {...documentPagePropsWithForms(c, record, page, focus, refused, approvalRefused)} />,
    status,
  );
}
