import type { Context } from "hono";
import type { PulsePageProps, PulseSections } from "../../../views/pages/work/pulse/types.ts";
import { eventIdsOf } from "../../events/ids.ts";
import type { listRecentEvents } from "../../events/read.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { feedItemOf } from "./data.ts";

/** The Pulse's props: the person's sections at `now`, the feed up to event `latest`, and the stream after it. */
export function pulsePageProps(
  c: Context<AppEnv>,
  now: Date,
  latest: number,
  feed: ReturnType<typeof listRecentEvents>,
  sections: PulseSections | null,
): PulsePageProps {
  const auth = c.var.auth;
  const ctx = serviceContext(c);
  const live = auth?.via === "session" && ctx.permissions.has("workspace.read");
  return {
    personName: auth?.user.name ?? "",
    organisationName: auth?.membership?.organization.name ?? null,
    now,
    sections,
    feed: feed.map((event) => feedItemOf(ctx, event)),
    // The stream resumes after the newest event this page was rendered with: nothing in between is lost.
    streamUrl: live ? `/pulse/stream?after=${eventIdsOf(ctx.keyring, ctx.orgId).idOf(latest)}` : null,
  };
}
