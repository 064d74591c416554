/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { DocumentStatus, DocumentText } from "../../views/pages/knowledge/document-page.tsx";
import { DocumentList } from "../../views/partials/knowledge/documents.tsx";
import { consoleEventStream, htmlOf, htmlPartial, partialsMessage } from "../events/console-stream.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission } from "../http/guards.ts";
import { listForPage, readListFilters } from "./console-data.ts";
import { documentPageProps } from "./console-props.ts";
import { documentJson, findDocumentById } from "./service.ts";

const documentEvents = ["document.created", "document.updated", "document.status_changed", "document.deleted"];

/**
 * The documents pages' live stream (htmx SSE, console sessions only). With `?document=` it
 * follows one document: its status block and text are sent again whenever it changes. Without,
 * it follows the list (with the page's filters): any document event sends the list again, so
 * a new upload appears and statuses move without a reload.
 */
export const documentsStream = new Hono<AppEnv>().get("/stream", requirePermission("workspace.read"), (c) =>
  consoleEventStream(c, "This stream", (ctx) => {
    const documentId = c.req.query("document") ?? null;
    const filters = readListFilters(c.req.query());
    return {
      types: documentEvents,
      everyEvent: true,
      format: (events) => {
        if (documentId) {
          if (!events.some((event) => event.subjectId === documentId)) return partialsMessage(ctx, events, []);
          const record = findDocumentById(ctx, documentId);
          if (!record) {
            const gone = (
              <p id="document-status" class="document-status">
                This document was deleted.
              </p>
            );
            return partialsMessage(ctx, events, [htmlPartial("#document-status", "outerHTML", htmlOf(gone))]);
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
          return partialsMessage(ctx, events, [
            htmlPartial("#document-status", "outerHTML", htmlOf(status)),
            htmlPartial("#document-text", "outerHTML", htmlOf(text)),
          ]);
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
        return partialsMessage(ctx, events, [htmlPartial("#document-list", "outerHTML", htmlOf(list))]);
      },
    };
  }),
);
