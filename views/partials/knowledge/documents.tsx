/** @jsxImportSource hono/jsx */
import type { DocumentStatus } from "../../../models/knowledge.ts";
import type { DocumentJson } from "../../../server/knowledge/schemas.ts";
import { documentHref } from "../../../server/tools/document-links.ts";

export const documentStatusLabels: Record<DocumentStatus, string> = {
  queued: "Queued",
  processing: "Reading…",
  indexed: "Indexed",
  failed: "Failed",
  needs_ocr: "Needs OCR",
};

export const documentKindLabels: Record<DocumentJson["kind"], string> = {
  pdf: "PDF",
  text: "Text",
  markdown: "Markdown",
  html: "HTML",
  email: "E-mail",
  csv: "CSV",
};

export function DocumentStatusBadge(props: { status: DocumentStatus; reason?: string | null }) {
  return (
    <span class={`status document-status-${props.status}`} title={props.reason ?? undefined}>
      {documentStatusLabels[props.status]}
    </span>
  );
}

/** 1536 → "1.5 KB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/**
 * The documents table (#document-list). The documents page's event stream sends a fresh copy
 * whenever a document is added, changes status or goes, so statuses move without a reload.
 */
export function DocumentList(props: { items: DocumentJson[]; filtered: boolean; canUpload: boolean }) {
  if (props.items.length === 0) {
    return (
      <div id="document-list">
        <p class="empty-state">
          {props.filtered ? (
            <>
              Nothing matches these filters. <a href="/documents">Show all documents</a>.
            </>
          ) : props.canUpload ? (
            "No documents yet. Drop manuals, contracts and policies above: they are read, indexed and ready for search and the assistant."
          ) : (
            "No documents yet. People who may upload add manuals, contracts and policies here."
          )}
        </p>
      </div>
    );
  }
  return (
    <div id="document-list" class="overflow-auto">
      <table class="work-table document-table">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Type</th>
            <th scope="col">Category</th>
            <th scope="col">Tags</th>
            <th scope="col">Size</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr id={`document-${item.id}`} data-status={item.status}>
              <td>
                <a href={documentHref(item.id)}>{item.title}</a>
                {item.title !== item.fileName ? <small class="muted document-file-name">{item.fileName}</small> : null}
              </td>
              <td>{documentKindLabels[item.kind]}</td>
              <td>{item.category || "—"}</td>
              <td>{item.tags.length ? item.tags.join(", ") : "—"}</td>
              <td class="nowrap">{formatSize(item.sizeBytes)}</td>
              <td>
                <DocumentStatusBadge status={item.status} reason={item.statusReason} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
