import { and, asc, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { documents } from "../../models/knowledge.ts";
import { equipment } from "../../models/work.ts";
import type { DocumentListPageProps } from "../../views/pages/knowledge/document-list.tsx";
import type { DocumentFormValues, DocumentPageProps } from "../../views/pages/knowledge/document-page.tsx";
import type { ApprovalFormValues } from "../../views/partials/knowledge/document-approval.tsx";
import { latestEventId } from "../events/ids.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import type { FormRefusal } from "../http/validate-form.ts";
import { namesOf } from "../members/directory.ts";
import { queryString } from "../tools/query-string.ts";
import { pipelinesTaking } from "../work/approvals/pipelines.ts";
import { findBillOfDocument } from "../work/bills/bills.ts";
import { billTitle } from "../work/bills/events.ts";
import { projectOptions, projectsById } from "../work/projects/options.ts";
import { listDocumentJobs, mayChangeDocument } from "./changes.ts";
import type { ListFilters, listForPage } from "./console-data.ts";
import {
  type DocumentRecord,
  documentEtag,
  documentJson,
  findDocumentById,
  listDocumentFacets,
  listDocumentPages,
} from "./service.ts";

/** The documents pages' props (and their live copies', console-live.tsx): documents as the views show them. */

/** Pages of text shown at once on a document's page. */
export const PAGES_PER_VIEW = 10;

/** Everything a document's page shows, for `page` (the first page of the text shown) and an optional form refusal. */
export function documentPageProps(c: Context<AppEnv>, record: DocumentRecord, page: number, focus: number | null) {
  const ctx = serviceContext(c);
  const pageCount = record.pageCount ?? 0;
  const from = Math.max(1, Math.min(page, Math.max(pageCount, 1)));
  const to = Math.min(pageCount, from + PAGES_PER_VIEW - 1);
  const related = ctx.db
    .select({ id: documents.id, title: documents.title, parentId: documents.parentId })
    .from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), eq(documents.parentId, record.id)))
    .orderBy(asc(documents.id))
    .all();
  const parent = record.parentId ? findDocumentById(ctx, record.parentId) : null;
  const linkedEquipment = record.equipmentIds.length
    ? ctx.db
        .select({ id: equipment.id, name: equipment.name })
        .from(equipment)
        .where(and(eq(equipment.orgId, ctx.orgId), inArray(equipment.id, record.equipmentIds)))
        .orderBy(asc(equipment.name))
        .all()
    : [];
  const jobs = listDocumentJobs(ctx, record.id);
  const bill = ctx.permissions.has("bills.manage") ? findBillOfDocument(ctx.db, ctx.orgId, record.id) : null;
  return {
    item: documentJson(record),
    uploaderName: record.uploadedBy
      ? (namesOf(ctx.db, ctx.orgId, [record.uploadedBy]).get(record.uploadedBy) ?? null)
      : null,
    parent: parent ? { id: parent.id, title: parent.title } : null,
    attachments: related.map((entry) => ({ id: entry.id, title: entry.title })),
    bill: bill ? { title: billTitle(bill), href: `/bills/${bill.id}` } : null,
    equipment: linkedEquipment,
    projects: projectsById(ctx, record.projectIds),
    pages: pageCount > 0 ? listDocumentPages(ctx, record.id, from, to) : [],
    window: { from, to, pageCount, perView: PAGES_PER_VIEW },
    focusPage: focus,
    attempts: jobs[0]?.attempts ?? 0,
    canChange: ctx.permissions.has("documents.upload") && mayChangeDocument(ctx, record),
    csrf: formCsrf(c),
  };
}

export function valuesOfRecord(record: DocumentRecord): DocumentFormValues {
  return {
    title: record.title,
    category: record.category ?? "",
    tags: record.tags.join(", "),
    equipmentIds: record.equipmentIds,
    projectIds: record.projectIds,
  };
}

/** The list: a page of documents, the facets to filter by, the upload form for people who may upload. */
export function documentListProps(
  c: Context<AppEnv>,
  page: ReturnType<typeof listForPage>,
  filters: ListFilters,
): DocumentListPageProps {
  const ctx = serviceContext(c);
  const canUpload = ctx.permissions.has("documents.upload");
  const live = c.var.auth?.via === "session";
  return {
    items: page.data.map(documentJson),
    filters,
    facets: listDocumentFacets(ctx),
    moreHref: page.nextCursor ? `/documents${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    upload: canUpload ? { csrf: formCsrf(c), maxBytes: c.var.deps.config.maxUploadBytes } : null,
    streamUrl: live ? `/documents/stream${queryString({ ...filters, after: latestEventId(ctx) })}` : null,
  };
}

/** A document's page with its edit and approval forms (as typed, when a post was refused) and its live stream. */
export function documentPagePropsWithForms(
  c: Context<AppEnv>,
  record: DocumentRecord,
  page: number,
  focus: number | null,
  refused?: { values: DocumentFormValues; refusal: FormRefusal },
  approvalRefused?: { values: ApprovalFormValues; error: string; status: ContentfulStatusCode },
): DocumentPageProps {
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
  const live = c.var.auth?.via === "session";
  return {
    ...props,
    form: props.canChange
      ? {
          values,
          errors: refused?.refusal.errors ?? {},
          etag: documentEtag(record),
          equipment: equipmentOptions,
          projects: projectOptions(ctx, values.projectIds),
        }
      : null,
    streamUrl: live ? `/documents/stream?document=${record.id}&after=${latestEventId(ctx)}` : null,
    approval: {
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
    },
  };
}
