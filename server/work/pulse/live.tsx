/** @jsxImportSource hono/jsx */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { DomainEvent } from "../../../models/events.ts";
import { AgentActivitySection } from "../../../views/partials/work/pulse/agents-section.tsx";
import { FeedItemRow } from "../../../views/partials/work/pulse/feed.tsx";
import { HoursSection } from "../../../views/partials/work/pulse/hours-section.tsx";
import { ApprovalsSection, InvoicesSection } from "../../../views/partials/work/pulse/money-sections.tsx";
import { MyTasksSection, OverdueSection, StaleSection } from "../../../views/partials/work/pulse/task-sections.tsx";
import { isPermission } from "../../auth/roles/permissions.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { htmlOf, htmlPartial, partialsMessage } from "../../events/console-stream.ts";
import { todayUtc } from "../../tools/days.ts";
import { agentOutcomeTypes } from "./agent-activity.ts";
import {
  agentsSection,
  approvalsSection,
  feedItemOf,
  hoursSection,
  invoicesSection,
  myTasksSection,
  notInFeed,
  overdueSection,
  type SectionName,
  staleScope,
  staleSection,
} from "./data.ts";
import { tasksAssignedTo } from "./queries.ts";

/** The sections a person's own work changes. */
const personalSections: SectionName[] = ["myTasks", "overdue", "stale", "approvals", "hours"];

/**
 * Which sections of this person's Pulse a batch of events changes: all of their own when an
 * event concerns them (they are in its audience, they did it, or it is about a task assigned
 * to them); the organisation's quiet tasks for people who watch them; overdue invoices for
 * people who manage invoices.
 */
export function sectionsToRefresh(ctx: ServiceContext, events: DomainEvent[]): Set<SectionName> {
  const refresh = new Set<SectionName>();
  const me = ctx.userId;
  const taskIds = events.filter((event) => event.subjectType === "task").map((event) => event.subjectId);
  const concernsMe =
    events.some((event) => event.audience.includes(me) || event.actorId === me) ||
    tasksAssignedTo(ctx.db, ctx.orgId, me, [...new Set(taskIds)]).length > 0;
  if (concernsMe) for (const name of personalSections) refresh.add(name);
  if (taskIds.length > 0 && staleScope(ctx) === "organisation") refresh.add("stale");
  if (ctx.permissions.has("invoices.manage") && events.some((event) => event.type.startsWith("invoice."))) {
    refresh.add("invoices");
  }
  if (events.some((event) => agentOutcomeTypes.includes(event.type))) refresh.add("agents");
  return refresh;
}

const sectionIds: Record<SectionName, string> = {
  myTasks: "pulse-my-tasks",
  overdue: "pulse-overdue",
  stale: "pulse-stale",
  approvals: "pulse-approvals",
  invoices: "pulse-invoices",
  hours: "pulse-hours",
  agents: "pulse-agents",
};

function sectionView(ctx: ServiceContext, name: SectionName, now: Date): JSX.Element | null {
  switch (name) {
    case "myTasks":
      return <MyTasksSection list={myTasksSection(ctx)} now={now} />;
    case "overdue":
      return <OverdueSection list={overdueSection(ctx, now)} now={now} />;
    case "stale":
      return <StaleSection stale={staleSection(ctx, now)} now={now} />;
    case "approvals": {
      const list = approvalsSection(ctx);
      return list ? <ApprovalsSection list={list} now={now} /> : null;
    }
    case "invoices": {
      const list = invoicesSection(ctx, now);
      return list ? <InvoicesSection list={list} now={now} /> : null;
    }
    case "hours":
      return <HoursSection hours={hoursSection(ctx, now)} today={todayUtc(now)} />;
    case "agents":
      return <AgentActivitySection list={agentsSection(ctx)} now={now} />;
  }
}

/** The same rule as the API's stream: an event that needs another permission is not shown. */
function maySee(ctx: ServiceContext, event: DomainEvent): boolean {
  return event.permission === null || (isPermission(event.permission) && ctx.permissions.has(event.permission));
}

/**
 * Turns a batch of events into one SSE message for this person's Pulse: the events they may see
 * as new feed items at the top, and fresh copies of the sections the events change. The id is
 * the batch's last event, so a reconnecting browser resumes after it.
 */
export function pulseMessage(ctx: ServiceContext, events: DomainEvent[], now = new Date()): string {
  const parts: string[] = [];
  // The message still ends at the batch's last event, so a reorder moves the resume point on.
  const news = events.filter((event) => !notInFeed.includes(event.type));
  const visible = news.filter((event) => maySee(ctx, event));
  if (visible.length > 0) {
    const items = visible
      .slice()
      .reverse()
      .map((event) => htmlOf(<FeedItemRow item={feedItemOf(ctx, event)} now={now} fresh />));
    parts.push(htmlPartial("#pulse-feed-list", "afterbegin", items.join("")));
  }
  for (const name of sectionsToRefresh(ctx, news)) {
    const view = sectionView(ctx, name, now);
    if (view) parts.push(htmlPartial(`#${sectionIds[name]}`, "outerHTML", htmlOf(view)));
  }
  return partialsMessage(ctx, events, parts);
}
