/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { PulsePage } from "../../../views/pages/work/pulse/pulse-page.tsx";
import { renderPage } from "../../console/render.tsx";
import { consoleEventStream } from "../../events/console-stream.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { latestEventSeq, listRecentEvents } from "../../events/read.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { feedItemOf, notInFeed, pulseSections } from "./data.ts";
import { pulseMessage } from "./live.tsx";

/** Items of the activity feed on first paint. */
const FEED_ITEMS = 20;

/**
 * The Pulse at / (mounted by server/setup/console.tsx, which first sends a box that is not set
 * up to /setup): the person's sections and the latest events they may see.
 */
export function renderPulse(c: Context<AppEnv>): Response | Promise<Response> {
  const auth = c.var.auth;
  const ctx = serviceContext(c);
  const now = new Date();
  const latest = latestEventSeq(ctx.db, ctx.orgId);
  const feed = ctx.permissions.has("workspace.read")
    ? listRecentEvents(
        ctx.db,
        { orgId: ctx.orgId, permissions: ctx.permissions, exceptTypes: notInFeed },
        FEED_ITEMS,
        latest + 1,
      )
    : [];
  const live = auth?.via === "session" && ctx.permissions.has("workspace.read");
  return renderPage(
    c,
    { title: "Pulse", current: "/" },
    <PulsePage
      personName={auth?.user.name ?? ""}
      organisationName={auth?.membership?.organization.name ?? null}
      now={now}
      sections={pulseSections(ctx, now)}
      feed={feed.map((event) => feedItemOf(ctx, event))}
      // The stream resumes after the newest event this page was rendered with: nothing in between is lost.
      streamUrl={live ? `/pulse/stream?after=${eventIdsOf(ctx.keyring, ctx.orgId).idOf(latest)}` : null}
    />,
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
