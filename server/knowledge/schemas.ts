import { z } from "zod";
import { documentApprovalStatuses, documentKinds, documentStatuses } from "../../models/knowledge.ts";
import { pageQuery } from "../http/cursor.ts";
import { enumList } from "../http/fields.ts";
import { isId } from "../tools/ids.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

const idList = (prefix: "eqp" | "prj", what: string) =>
  z
    .array(
      z
        .string()
        .trim()
        .refine((value) => isId(prefix, value), { message: `Use ${what}'s id (${prefix}_…).` }),
    )
    .max(200, `Link at most 200.`)
    .transform((ids) => [...new Set(ids)]);

const tagList = z
  .array(z.string().trim().min(1, "A tag cannot be empty.").max(40, "Use at most 40 characters per tag."))
  .max(30, "Use at most 30 tags.")
  .transform((tags) => [...new Set(tags)]);

const fields = {
  title: z.string().trim().min(1, "Enter a title.").max(200, "Use at most 200 characters."),
  category: z.string().trim().max(60, "Use at most 60 characters.").nullable(),
  tags: tagList,
  equipmentIds: idList("eqp", "a piece of equipment"),
  projectIds: idList("prj", "a project"),
};

/**
 * The text fields of an upload (multipart form fields beside `file`). Lists may be repeated
 * fields or one comma-separated field.
 */
export const uploadFields = z.object({
  title: fields.title.optional(),
  category: fields.category.optional(),
  tags: fields.tags.default([]),
  equipmentIds: fields.equipmentIds.default([]),
  projectIds: fields.projectIds.default([]),
});
export type UploadFields = z.infer<typeof uploadFields>;

/** The OpenAPI shape of the upload body (multipart/form-data). */
export const uploadBody = z.object({
  file: z.string().describe("The document's bytes (a file part). Its type is decided from the content."),
  title: z.string().optional().describe("Defaults to the file's name (or an e-mail's subject)."),
  category: z.string().optional(),
  tags: z.string().optional().describe("Comma-separated, or the field repeated."),
  equipmentIds: z.string().optional().describe("Equipment ids (eqp_…), comma-separated or repeated."),
  projectIds: z.string().optional().describe("Project ids (prj_…), comma-separated or repeated."),
});

export const updateDocumentInput = z
  .object({
    title: fields.title.optional(),
    category: fields.category.optional(),
    tags: fields.tags.optional(),
    equipmentIds: fields.equipmentIds.optional().describe("Replaces every equipment link."),
    projectIds: fields.projectIds.optional().describe("Replaces every project link."),
  })
  .strict();
export type UpdateDocumentInput = z.infer<typeof updateDocumentInput>;

export const documentListQuery = pageQuery.extend({
  status: enumList(documentStatuses).optional().describe("One status or several, comma-separated."),
  category: z.string().trim().max(60).optional().describe("Exactly this category (ignoring case)."),
  tag: z.string().trim().max(40).optional().describe("Documents carrying this tag."),
  equipmentId: z.string().trim().max(40).optional().describe("Documents linked to this equipment."),
  projectId: z.string().trim().max(40).optional().describe("Documents linked to this project."),
  q: z.string().trim().max(120).optional().describe("Part of the title or file name."),
});
export type DocumentListQuery = z.infer<typeof documentListQuery>;

export const documentJsonSchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  tags: z.array(z.string()),
  fileName: z.string(),
  kind: z.enum(documentKinds).describe("Decided from the content, not the name."),
  mediaType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  status: z.enum(documentStatuses).describe("queued → processing → indexed, failed or needs_ocr."),
  statusReason: z.string().nullable().describe("Why it failed or needs OCR."),
  pageCount: z.number().int().nullable(),
  chunkCount: z.number().int(),
  parentId: z.string().nullable().describe("The e-mail an attachment came in."),
  uploadedBy: z.string().nullable(),
  embeddingModelId: z
    .string()
    .nullable()
    .describe("The model whose vectors the chunks have; null = keyword search only."),
  equipmentIds: z.array(z.string()),
  projectIds: z.array(z.string()),
  approvalStatus: z
    .enum(documentApprovalStatuses)
    .nullable()
    .describe("pending while its approval request runs, then approved or rejected; null = never submitted."),
  approvalRequestId: z.string().nullable().describe("The latest approval request (`/api/v1/approvals/{id}`)."),
  indexedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  links: z.object({ file: z.string(), page: z.string() }),
});
export type DocumentJson = z.infer<typeof documentJsonSchema>;

export const documentPageSchema = z.object({ data: z.array(documentJsonSchema), nextCursor: z.string().nullable() });

/** POST /documents/{id}/submit: both optional (an empty body uses the documents pipeline). */
export const submitDocumentInput = z
  .object({
    pipelineId: z
      .string()
      .trim()
      .max(64)
      .nullish()
      .describe("A pipeline for documents (or for any subject); omitted = the organisation's documents pipeline."),
    details: z.string().trim().max(5000, "Use at most 5000 characters.").default("").describe("Shown to approvers."),
  })
  .strict();
export type SubmitDocumentInput = z.infer<typeof submitDocumentInput>;
