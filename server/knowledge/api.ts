import { type Context, Hono } from "hono";
import { z } from "zod";
import { apiDoc, documented } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { jsonWithEtag } from "../http/etag.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { submitDocument } from "./approval.ts";
import { createDocumentFromUpload, deleteDocument, retryDocument, updateDocument } from "./changes.ts";
import {
  documentJsonSchema,
  documentListQuery,
  documentPageSchema,
  submitDocumentInput,
  updateDocumentInput,
  uploadBody,
} from "./schemas.ts";
import {
  type DocumentRecord,
  documentEtag,
  documentJson,
  documentOrNotFound,
  listDocumentPages,
  listDocuments,
} from "./service.ts";
import { storedFilePath } from "./upload/files.ts";
import { abandonUpload, receiveUpload } from "./upload/upload.ts";

const tags = ["Documents"];
const one = (description: string) => ({ description, schema: documentJsonSchema });
const whoMayChange =
  "Allowed to the person who uploaded the document (with `documents.upload`) and to anyone with `projects.manage` (managers, admins); others get 403.";

function respond(c: Context<AppEnv>, record: DocumentRecord, status: 200 | 202 = 200) {
  c.header("ETag", documentEtag(record));
  return c.json(documentJson(record), status);
}

const pagesQuery = z.object({
  from: z.coerce.number().int().min(1).default(1),
  count: z.coerce.number().int().min(1).max(50).default(10),
});
const pagesSchema = z.object({
  data: z.array(z.object({ page: z.number().int(), text: z.string() })),
  pageCount: z.number().int().nullable(),
});

/** /documents: upload, list, read, change, delete, retry, the stored file and the extracted text. */
export const documentsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List documents",
      tags,
      responses: { 200: { description: "A page, newest first", schema: documentPageSchema } },
    }),
    requirePermission("workspace.read"),
    validate("query", documentListQuery),
    (c) => {
      const page = listDocuments(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(documentJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/",
    apiDoc({
      summary: "Upload a document",
      description:
        "multipart/form-data with a `file` field. The type is decided from the content (PDF, plain text, Markdown, HTML, CSV, e-mail): anything else is 415; over the upload limit (OPSBOX_MAX_UPLOAD_BYTES, 50 MB by default) 413; a full disk, or one that would have less than OPSBOX_MIN_FREE_DISK_MB free after the upload, 507 `insufficient_storage` (nothing is kept). A new document answers 202 once its file is synced to the disk: it is read in the background, and `GET /documents/{id}` shows its status as it moves (queued → processing → indexed, failed or needs_ocr). Content the organisation already has answers 200 with that document, unchanged.",
      tags,
      responses: {
        202: one("The new document, queued for reading"),
        200: one("The document with the same content the organisation already had"),
      },
    }),
    requirePermission("documents.upload"),
    // Documents the multipart body; receiveUpload reads it as a stream, so no validator buffers it.
    documented(
      async function uploadBodyDoc(_c, next) {
        await next();
      },
      { validation: { target: "multipart", schema: uploadBody } },
    ),
    async (c) => {
      const upload = await receiveUpload(c);
      let result: ReturnType<typeof createDocumentFromUpload>;
      try {
        result = createDocumentFromUpload(serviceContext(c), c.var.deps.config.dataDir, upload);
      } catch (error) {
        abandonUpload(upload);
        throw error;
      }
      c.header("Location", `/api/v1/documents/${result.record.id}`);
      return respond(c, result.record, result.created ? 202 : 200);
    },
  )
  .get(
    "/:id",
    apiDoc({ summary: "Get a document", tags, responses: { 200: one("The document and its status") } }),
    requirePermission("workspace.read"),
    (c) => {
      const record = documentOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, documentEtag(record), documentJson(record));
    },
  )
  .patch(
    "/:id",
    apiDoc({
      summary: "Change a document's title, category, tags or links",
      description: `Honours \`If-Match\` (412 when it changed since). ${whoMayChange}`,
      tags,
      responses: { 200: one("The changed document") },
    }),
    requirePermission("documents.upload"),
    validate("json", updateDocumentInput),
    (c) =>
      respond(c, updateDocument(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match"))),
  )
  .delete(
    "/:id",
    apiDoc({
      summary: "Delete a document",
      description: `Its pages, chunks, vectors and (unless another document has the same bytes) its file go with it. ${whoMayChange}`,
      tags,
      responses: { 204: { description: "Deleted" } },
    }),
    requirePermission("documents.upload"),
    (c) => {
      deleteDocument(serviceContext(c), c.var.deps.config.dataDir, c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/retry",
    apiDoc({
      summary: "Read a failed document again",
      description: `Only for a document that is failed or needs_ocr (409 otherwise). ${whoMayChange}`,
      tags,
      responses: { 202: one("The document, queued again") },
    }),
    requirePermission("documents.upload"),
    (c) => respond(c, retryDocument(serviceContext(c), c.req.param("id")), 202),
  )
  .post(
    "/:id/submit",
    apiDoc({
      summary: "Submit a document for approval (starts an approval request)",
      description: `Starts an approval request with subject \`document\` through the organisation's pipeline for documents (or \`pipelineId\`); the document's \`approvalStatus\` is \`pending\` until the request ends, then \`approved\` or \`rejected\` (a cancelled request leaves it \`null\`). 409 while it is already pending, or when no pipeline fits. ${whoMayChange}`,
      tags,
      responses: { 200: one("The document, waiting for approval") },
    }),
    requirePermission("documents.upload"),
    validate("json", submitDocumentInput),
    (c) => respond(c, submitDocument(serviceContext(c), c.req.param("id"), c.req.valid("json"))),
  )
  .get(
    "/:id/pages",
    apiDoc({
      summary: "The extracted text of a document, by page",
      tags,
      responses: { 200: { description: "Pages `from` … `from + count - 1`", schema: pagesSchema } },
    }),
    requirePermission("workspace.read"),
    validate("query", pagesQuery),
    (c) => {
      const record = documentOrNotFound(serviceContext(c), c.req.param("id"));
      const { from, count } = c.req.valid("query");
      return c.json({
        data: listDocumentPages(serviceContext(c), record.id, from, from + count - 1),
        pageCount: record.pageCount,
      });
    },
  )
  .get(
    "/:id/file",
    apiDoc({
      summary: "Download the stored file",
      description: "Served as an attachment, with `nosniff` and a sandboxing Content-Security-Policy.",
      tags,
      responses: { 200: { description: "The bytes as uploaded", contentType: "application/octet-stream" } },
    }),
    requirePermission("workspace.read"),
    async (c) => {
      const record = documentOrNotFound(serviceContext(c), c.req.param("id"));
      const file = Bun.file(storedFilePath(c.var.deps.config.dataDir, record.sha256));
      if (!(await file.exists())) throw new AppError("not_found", "The document's file is missing.");
      return new Response(file, {
        headers: {
          "Content-Type": record.mediaType.startsWith("text/")
            ? `${record.mediaType}; charset=utf-8`
            : record.mediaType,
          "Content-Length": String(file.size),
          "Content-Disposition": attachment(record.fileName),
          "X-Content-Type-Options": "nosniff",
          // Even opened in place, the file runs nothing and reaches nothing.
          "Content-Security-Policy": "default-src 'none'; sandbox",
          "Cache-Control": "private, no-store",
        },
      });
    },
  );

/** `attachment` with an ASCII fallback name and the real one in RFC 5987 form. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
