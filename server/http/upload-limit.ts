import type { Context } from "hono";

/** The one route whose body may exceed OPSBOX_MAX_BODY_BYTES: it enforces OPSBOX_MAX_UPLOAD_BYTES itself. */
export const DOCUMENT_UPLOAD_PATH = "/api/v1/documents";

/** Whether a request is a document upload (the global body limit and the CSRF form parse skip it). */
export function isDocumentUpload(c: Context): boolean {
  return c.req.method === "POST" && c.req.path === DOCUMENT_UPLOAD_PATH;
}

/** Room for the multipart framing and the small text fields around the file itself. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
