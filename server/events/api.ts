import { type Context, Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import { decodeCursor, invalidCursor, pageOf } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { streamAccess } from "./access.ts";
import { type EventIds, eventIdsOf } from "./ids.ts";
import { type EventFilter, eventJson, latestEventSeq, listEventsAfter, listRecentEvents } from "./read.ts";
import { type EventsQuery, eventPageSchema, eventsQuery } from "./schemas.ts";
import { eventStreamResponse, sseMessage } from "./stream.ts";

const description = `A server-sent event stream of the organisation's domain events (\`task.created\`, \`task.updated\`,
\`approval.decided\`, \`invoice.status_changed\`, …), each as \`id: <event id>\`, \`event: <type>\` and
\`data: <event JSON>\`. An event is sent only to callers who may read the record it describes, as they may
now: \`invoices.manage\` for invoices, customers and invoice approvals; \`timesheets.approve\` for timesheets, time
entries, timers and timesheet approvals (their owners included: the feed holds one permission per event). A card
moved inside its board column is \`task.reordered\` (\`data.status\`, \`data.projectId\`, \`data.position\`).

Without \`Last-Event-ID\` (or \`after\`) the stream starts with new events only; with one it first replays every
event after that id, then goes live, so a reconnecting client misses nothing. A comment line is sent every 15 s.

With \`Accept: application/json\` (or \`format=json\`) the same path answers a page of past events, newest
first (\`{ data, nextCursor }\`); \`after\` then stops the page at events the caller already has.`;

/** GET /events: the live stream for integrators, and pages of past events for pollers. */
export const eventsApi = new Hono<AppEnv>().get(
  "/",
  apiDoc({
    summary: "Stream the organisation's events (SSE), or page through past ones",
    description,
    tags: ["Events"],
    responses: {
      200: {
        description:
          "The stream: one message per event, its `data` an `Event`. For `Accept: application/json`: a page of events, newest first.",
        schema: eventPageSchema,
        contentType: "text/event-stream, application/json",
      },
    },
  }),
  requirePermission("workspace.read"),
  validate("query", eventsQuery),
  (c) => {
    const query = c.req.valid("query");
    const ctx = serviceContext(c);
    const filter: EventFilter = { orgId: ctx.orgId, permissions: ctx.permissions, types: query.types };
    const ids = eventIdsOf(ctx.keyring, ctx.orgId);
    const after = resumeAfter(c, query, ids);
    if (wantsJson(c, query)) {
      const beforeSeq = query.cursor ? cursorSeq(query.cursor, ids) : undefined;
      const rows = listRecentEvents(ctx.db, filter, query.limit + 1, beforeSeq, after ?? undefined);
      // The cursor holds the public id, not the seq: a page tells nothing of other organisations either.
      const page = pageOf(rows, query.limit, (event) => [ids.idOf(event.seq)]);
      return c.json({
        data: page.data.map((event) => eventJson(event, ids.idOf(event.seq))),
        nextCursor: page.nextCursor,
      });
    }
    const auth = c.var.auth;
    if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
    return eventStreamResponse(c, {
      orgId: ctx.orgId,
      afterSeq: after ?? latestEventSeq(ctx.db, ctx.orgId),
      access: streamAccess(ctx.db, auth, ctx.orgId),
      readAfter: (seq, limit, permissions) => listEventsAfter(ctx.db, { ...filter, permissions }, seq, limit),
      format: (events) =>
        events
          .map((event) => {
            const id = ids.idOf(event.seq);
            return sseMessage({ id, event: event.type, data: JSON.stringify(eventJson(event, id)) });
          })
          .join(""),
      lifecycle: c.var.deps.lifecycle,
      log: ctx.log,
    });
  },
);

/** JSON for `format=json`, or for a client that asks for JSON and not for a stream. */
function wantsJson(c: Context<AppEnv>, query: EventsQuery): boolean {
  if (query.format) return query.format === "json";
  const accept = c.req.header("Accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/event-stream");
}

/**
 * The seq to resume after: `Last-Event-ID` (what EventSource sends on reconnect) or `?after=`.
 * An id this organisation never handed out (another's, a forged one) is a 422, never a guess.
 */
function resumeAfter(c: Context<AppEnv>, query: EventsQuery, ids: EventIds): number | null {
  const header = c.req.header("Last-Event-ID")?.trim();
  const [path, id] = header ? ["Last-Event-ID", header] : ["after", query.after];
  if (!id) return null;
  const seq = ids.seqOf(id);
  if (seq === null) {
    throw new AppError("validation_failed", "The request is not valid.", [
      { path, message: "Use the id of an event this stream sent you." },
    ]);
  }
  return seq;
}

function cursorSeq(cursor: string, ids: EventIds): number {
  const [id] = decodeCursor(cursor, 1);
  const seq = typeof id === "string" ? ids.seqOf(id) : null;
  if (seq !== null) return seq;
  throw invalidCursor();
}
