/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { PulsePage } from "../../../views/pages/work/pulse/pulse-page.tsx";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import { consoleEventStream } from "../../events/console-stream.ts";
import { latestEventSeq, listRecentEvents } from "../../events/read.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { pulsePageProps } from "./console-props.ts";
import { notInFeed, pulseSections } from "./data.ts";
import { pulseMessage } from "./live.tsx";

/** Items of the activity feed on first paint. */
const FEED_ITEMS = 20;

/**
 * The Pulse at / (mounted by server/setup/console.tsx, which first sends a box that is not set
 * up to /setup): the person's sections and the latest events they may see.
 */
export function renderPulse(c: Context<AppEnv>): Response | Promise<Response> {
  const ctx = serviceContext(c);
  const now = new Date();
  const read = () => {
    const latest = latestEventSeq(ctx.db, ctx.orgId);
    const feed = ctx.permissions.has("workspace.read")
      ? listRecentEvents(
          ctx.db,
          { orgId: ctx.orgId, permissions: ctx.permissions, exceptTypes: notInFeed },
          FEED_ITEMS,
          latest + 1,
        )
      : [];
    return { latest, feed, sections: pulseSections(ctx, now) };
  };
  // What a person's Pulse shows changes with the data (any write starts afresh) and with the
  // clock (overdue, quiet for 48 hours, this week): kept until the next write, for this minute.
  // A console session's permissions are its role's, which only a write changes.
  const minute = Math.floor(now.getTime() / 60_000);
  const data =
    c.var.auth?.via === "session" ? readUntilWrite(ctx.db, `pulse:${ctx.orgId}:${ctx.userId}:${minute}`, read) : read();
  return renderPage(
    c,
    { title: "Pulse", current: "/" },
    <PulsePage {...pulsePageProps(c, now, data.latest, data.feed, data.sections)} />,
  );
}

/** The Pulse's live stream: rendered HTML for htmx's SSE extension, for console sessions only. */
export const pulseConsole = new Hono<AppEnv>().get("/", requirePermission("workspace.read"), (c) =>
  // Every event is read, hidden ones too: one that concerns the person refreshes their own
  // sections, while the feed shows only what they may see (see pulseMessage).
  consoleEventStream(c, "The Pulse's stream", (ctx) => ({
    everyEvent: true,
    format: (events) => pulseMessage(ctx, events),
  })),
);
