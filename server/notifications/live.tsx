/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { BellList, BellSummary, bellLabel } from "../../views/partials/notifications/bell.tsx";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { shortTime } from "../console/render.tsx";
import { consoleEventStream, htmlOf, htmlPartial, partialsMessage } from "../events/console-stream.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { bellOf } from "./bell.ts";

/**
 * The bell's live stream: it follows every event of the organisation (the notifier has turned
 * each into notifications by the time the stream reads it, see job.ts) and sends the bell's
 * summary and dropdown again whenever the person's unread count or newest notification changed.
 * What it sends is only ever the person's own notifications.
 */
export function notificationStream(c: Context<AppEnv>): Response {
  const csrf = formCsrf(c);
  return consoleEventStream(c, "The notification bell's stream", (ctx) => {
    let shown = stateOf(ctx);
    return {
      everyEvent: true,
      format: (events) => {
        const bell = bellOf(ctx.db, ctx.orgId, ctx.userId);
        const state = `${bell.unread}:${bell.latest[0]?.id ?? ""}`;
        if (state === shown) return partialsMessage(ctx, events, []);
        shown = state;
        const latest = bell.latest.map((item) => ({ ...item, at: shortTime(item.createdAt) }));
        const summary = (
          <summary id="notification-bell-summary" aria-label={bellLabel(bell.unread)} title="Notifications">
            <BellSummary unread={bell.unread} />
          </summary>
        );
        return partialsMessage(ctx, events, [
          htmlPartial("#notification-bell-summary", "outerHTML", htmlOf(summary)),
          htmlPartial(
            "#notification-bell-list",
            "innerHTML",
            htmlOf(<BellList latest={latest} unread={bell.unread} csrf={csrf} />),
          ),
        ]);
      },
    };
  });
}

function stateOf(ctx: ServiceContext): string {
  const bell = bellOf(ctx.db, ctx.orgId, ctx.userId);
  return `${bell.unread}:${bell.latest[0]?.id ?? ""}`;
}
