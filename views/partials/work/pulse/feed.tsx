/** @jsxImportSource hono/jsx */
import type { PulseFeedItem } from "../../../pages/work/pulse/types.ts";
import { timeAgo } from "./format.ts";

/** What a feed item is about, from its type (`task.updated` → "task"), for its small label. */
function kindOf(type: string): string {
  return (type.split(".")[0] ?? type).replace(/_/g, " ");
}

/** One line of the activity feed; `fresh` marks items that arrived live (they fade in). */
export function FeedItemRow(props: { item: PulseFeedItem; now: Date; fresh?: boolean }) {
  const { item } = props;
  const classes = ["feed-item", item.forMe ? "feed-item-mine" : "", props.fresh ? "feed-item-fresh" : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li class={classes} id={`feed-${item.id}`} data-type={item.type}>
      <span class="feed-kind">{kindOf(item.type)}</span>
      <span class="feed-summary">{item.href ? <a href={item.href}>{item.summary}</a> : item.summary}</span>
      <time datetime={item.occurredAt.toISOString()} title={item.occurredAt.toISOString()}>
        {timeAgo(item.occurredAt, props.now)}
      </time>
    </li>
  );
}

/**
 * The live activity feed. The list connects to the Pulse's event stream (htmx 4's SSE
 * extension): each message carries <hx-partial>s that add items at the top or replace a section.
 */
export function ActivityFeed(props: { items: PulseFeedItem[]; now: Date; streamUrl: string | null }) {
  return (
    <section class="pulse-feed" aria-labelledby="pulse-feed-title">
      <header class="pulse-card-head">
        <h2 id="pulse-feed-title">Activity</h2>
        {props.streamUrl ? (
          <span class="pulse-live" title="New activity appears here as it happens">
            live
          </span>
        ) : null}
      </header>
      <div id="pulse-live" hx-sse:connect={props.streamUrl ?? undefined}>
        <ol id="pulse-feed-list" class="feed-list" aria-live="polite" aria-relevant="additions">
          {props.items.map((item) => (
            <FeedItemRow item={item} now={props.now} />
          ))}
          <li class="feed-empty">
            No activity yet. Changes to projects, tasks, approvals, invoices and time appear here as they happen.
          </li>
        </ol>
      </div>
    </section>
  );
}
