import { and, asc, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import { z } from "zod";
import { documentStatuses, documents } from "../../models/knowledge.ts";
import { equipment } from "../../models/work.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { namesOf } from "../members/directory.ts";
import { projectsById } from "../work/projects/options.ts";
import { listDocumentJobs, mayChangeDocument } from "./changes.ts";
import { type DocumentRecord, documentJson, findDocumentById, listDocumentPages, listDocuments } from "./service.ts";

/** What the documents pages and their live copies (console-live.tsx) read. */

/** Pages of text shown at once on a document's page. */
export const PAGES_PER_VIEW = 10;

export const listFilters = z.object({
  status: z.enum(["", ...documentStatuses]).catch(""),
  category: z.string().trim().max(60).catch(""),
  tag: z.string().trim().max(40).catch(""),
  q: z.string().trim().max(120).catch(""),
});
export type ListFilters = z.infer<typeof listFilters>;

export function readListFilters(query: Record<string, string>): ListFilters {
  return listFilters.parse({ status: "", category: "", tag: "", q: "", ...query });
}

/** The list as the page (and its live copy) shows it. */
export function listForPage(c: Context<AppEnv>, filters: ListFilters, cursor?: string) {
  return listDocuments(serviceContext(c), {
    limit: 50,
    cursor,
    status: filters.status ? [filters.status] : undefined,
    category: filters.category || undefined,
    tag: filters.tag || undefined,
    q: filters.q || undefined,
  });
}

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
  return {
    item: documentJson(record),
    uploaderName: record.uploadedBy
      ? (namesOf(ctx.db, ctx.orgId, [record.uploadedBy]).get(record.uploadedBy) ?? null)
      : null,
    parent: parent ? { id: parent.id, title: parent.title } : null,
    attachments: related.map((entry) => ({ id: entry.id, title: entry.title })),
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
