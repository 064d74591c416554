/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DomainEvent } from "../../models/events.ts";
import { DocumentStatus, DocumentText } from "../../views/pages/knowledge/document-page.tsx";
import { DocumentList } from "../../views/partials/knowledge/documents.tsx";
import { requirePermission, serviceContext } from "../auth/guard.ts";
import { permissions } from "../auth/permissions.ts";
import { streamAccessCheck } from "../events/access.ts";
import { eventIdOf, latestEventSeq, listEventsAfter, seqOfEventId } from "../events/read.ts";
import { eventStreamResponse, sseMessage } from "../events/stream.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { documentPageProps, listForPage, readListFilters } from "./console-data.ts";
import { documentJson, findDocumentById } from "./service.ts";

const documentEvents = ["document.created", "document.updated", "document.status_changed", "document.deleted"];
const everyPermission = new Set(permissions);

function htmlOf(node: JSX.Element): string {
  const html = node.toString();
  if (typeof html !== "string") throw new Error("The documents page renders synchronous views only.");
  return html;
}

/** htmx 4 swaps each <hx-partial> into its target; a message of partials only leaves the rest alone. */
function partial(target: string, html: string): string {
  return `<hx-partial hx-target="${target}" hx-swap="outerHTML">${html}</hx-partial>`;
}

/**
 * The documents pages' live stream (htmx SSE, console sessions only). With `?document=` it
 * follows one document: its status block and text are sent again whenever it changes. Without,
 * it follows the list (with the page's filters): any document event sends the list again, so
 * a new upload appears and statuses move without a reload.
 */
export const documentsStream = new Hono<AppEnv>().get("/documents/stream", requirePermission("workspace.read"), (c) => {
  const auth = c.var.auth;
  if (auth?.via !== "session") {
    throw new AppError("forbidden", "This stream is for the console; integrators use /api/v1/events.");
  }
  const ctx = serviceContext(c);
  const documentId = c.req.query("document") ?? null;
  const filters = readListFilters(c.req.query());
  const after = seqOfEventId(c.req.header("Last-Event-ID") ?? c.req.query("after"));
  const format = (events: DomainEvent[]): string => {
    const last = events.at(-1);
    if (!last) return "";
    const id = eventIdOf(last);
    if (documentId) {
      if (!events.some((event) => event.subjectId === documentId)) return `id: ${id}\n\n`;
      const record = findDocumentById(ctx, documentId);
      if (!record) {
        const gone = (
          <p id="document-status" class="document-status">
            This document was deleted.
          </p>
        );
        return sseMessage({ id, data: partial("#document-status", htmlOf(gone)) });
      }
      const props = documentPageProps(c, record, 1, null);
      const status = (
        <DocumentStatus
          item={documentJson(record)}
          attempts={props.attempts}
          canChange={props.canChange}
          csrf={props.csrf}
        />
      );
      const text = <DocumentText id={record.id} pages={props.pages} window={props.window} focusPage={null} />;
      return sseMessage({
        id,
        data: partial("#document-status", htmlOf(status)) + partial("#document-text", htmlOf(text)),
      });
    }
    const page = listForPage(c, filters);
    const filtered = Object.values(filters).some((value) => value !== "");
    const list = (
      <DocumentList
        items={page.data.map(documentJson)}
        filtered={filtered}
        canUpload={ctx.permissions.has("documents.upload")}
      />
    );
    return sseMessage({ id, data: partial("#document-list", htmlOf(list)) });
  };
  return eventStreamResponse(c, {
    orgId: ctx.orgId,
    afterSeq: after ?? latestEventSeq(ctx.db, ctx.orgId),
    readAfter: (seq, limit) =>
      listEventsAfter(ctx.db, { orgId: ctx.orgId, permissions: everyPermission, types: documentEvents }, seq, limit),
    format,
    lifecycle: c.var.deps.lifecycle,
    log: ctx.log,
    stillAllowed: streamAccessCheck(ctx.db, auth, ctx.orgId),
  });
});
