import type { Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DomainEvent } from "../../models/events.ts";
import { type Permission, permissions } from "../auth/roles/permissions.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { AppEnv } from "../http/env.ts";
import { AppError } from "../http/errors.ts";
import { serviceContext } from "../http/guards.ts";
import { streamAccess } from "./access.ts";
import { eventIdsOf } from "./ids.ts";
import { latestEventSeq, listEventsAfter } from "./read.ts";
import { eventStreamResponse, sseMessage } from "./stream.ts";

/*
 * The console's live views (the Pulse, the task board, list and page): a server-sent event
 * stream of rendered HTML for htmx 4's SSE extension. Each message is a set of <hx-partial>s,
 * so a page swaps exactly the parts an event changed and leaves the rest (a half-typed comment,
 * the focus) alone.
 */

const everyPermission = new Set(permissions);

/** Views here are synchronous components, so their HTML is ready at once. */
export function htmlOf(node: JSX.Element): string {
  const html = node.toString();
  if (typeof html !== "string") throw new Error("Live views render synchronous components only.");
  return html;
}

type SwapStyle = "outerHTML" | "innerHTML" | "afterbegin" | "beforeend";
/** A swap style, with htmx modifiers if need be (`outerHTML settle:0`). */
export type PartialSwap = SwapStyle | `${SwapStyle} ${string}`;

/** htmx 4 swaps each <hx-partial> into its target; a message of partials only leaves the rest alone. */
export function htmlPartial(target: string, swap: PartialSwap, html: string): string {
  return `<hx-partial hx-target="${target}" hx-swap="${swap}">${html}</hx-partial>`;
}

/**
 * One SSE message of partials whose id is the batch's last event, so a reconnecting browser
 * resumes after it. With nothing to show the id still moves on, so a reconnect does not read
 * these events again.
 */
export function partialsMessage(
  ctx: Pick<ServiceContext, "keyring" | "orgId">,
  events: DomainEvent[],
  parts: string[],
): string {
  const last = events.at(-1);
  if (!last) return "";
  const id = eventIdsOf(ctx.keyring, ctx.orgId).idOf(last.seq);
  return parts.length > 0 ? sseMessage({ id, data: parts.join("") }) : `id: ${id}\n\n`;
}

export type ConsoleStream = {
  /** The event types the page follows; every type when absent. */
  types?: string[];
  /** Also read events the person may not see (the Pulse refreshes their sections for them, showing none). */
  everyEvent?: boolean;
  /** The SSE text of a batch of events, oldest first (partialsMessage). */
  format: (events: DomainEvent[]) => string;
};

/**
 * Answers a console page's live stream: console sessions only (integrators read
 * /api/v1/events), the caller's organisation only, resumed after `Last-Event-ID` or `?after=`,
 * and ended once the session or membership is gone. `open` runs before the stream starts, so it
 * may still refuse (a task of another organisation is a 404). The `ctx` it gets (and the
 * request's `auth`) follow the person's permissions while the stream is open: a page's
 * `format` renders each batch with what the person may see when it is sent.
 */
export function consoleEventStream(
  c: Context<AppEnv>,
  what: string,
  open: (ctx: ServiceContext) => ConsoleStream,
): Response {
  const auth = c.var.auth;
  if (auth?.via !== "session") {
    throw new AppError("forbidden", `${what} is for the console; integrators use /api/v1/events.`);
  }
  const ctx = serviceContext(c);
  const stream = open(ctx);
  const follow = (permissions: ReadonlySet<Permission>) => {
    if (permissions === ctx.permissions) return;
    // The page's format closes over this ctx (and reads `c`): both now say what the person may do.
    ctx.permissions = permissions;
    c.set("auth", { ...auth, permissions });
  };
  // An id this organisation never handed out starts the stream live, as no id does.
  const after = eventIdsOf(ctx.keyring, ctx.orgId).seqOf(c.req.header("Last-Event-ID") ?? c.req.query("after"));
  return eventStreamResponse(c, {
    orgId: ctx.orgId,
    afterSeq: after ?? latestEventSeq(ctx.db, ctx.orgId),
    access: streamAccess(ctx.db, auth, ctx.orgId),
    readAfter: (seq, limit, permissions) => {
      follow(permissions);
      const filter = { orgId: ctx.orgId, permissions: stream.everyEvent ? everyPermission : permissions };
      return listEventsAfter(ctx.db, { ...filter, types: stream.types }, seq, limit);
    },
    format: (events, permissions) => {
      follow(permissions);
      return stream.format(events);
    },
    lifecycle: c.var.deps.lifecycle,
    log: ctx.log,
  });
}
