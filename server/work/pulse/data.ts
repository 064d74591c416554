import type { DomainEvent } from "../../../models/events.ts";
import type {
  PulseAgentRun,
  PulseFeedItem,
  PulseHours,
  PulseList,
  PulseSections,
  PulseTask,
} from "../../../views/pages/work/pulse/types.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { eventIdsOf } from "../../events/ids.ts";
import { namesOf } from "../../members/directory.ts";
import { addDays, todayUtc, weekStartOf } from "../../tools/days.ts";
import { documentHref } from "../../tools/document-links.ts";
import { listWaitingOnMe } from "../approvals/service.ts";
import { agentRunOf, listAgentOutcomes } from "./agent-activity.ts";
import {
  listMyOpenTasks,
  listMyOverdueTasks,
  listOverdueInvoices,
  listStaleTasks,
  minutesByDay,
  type PulseTaskRow,
} from "./queries.ts";

/** Rows per section: enough to act on; the section links to the full list. */
export const SECTION_ROWS = 6;

export type SectionName = "myTasks" | "overdue" | "stale" | "approvals" | "invoices" | "hours" | "agents";

/** Cuts the extra row a query fetched to learn whether there are more. */
function listOf<Item>(rows: Item[]): PulseList<Item> {
  return { items: rows.slice(0, SECTION_ROWS), more: rows.length > SECTION_ROWS };
}

function tasksOf(ctx: ServiceContext, rows: PulseTaskRow[]): PulseList<PulseTask> {
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    rows.map((row) => row.assigneeId),
  );
  return listOf(
    rows.map((row) => ({
      id: row.id,
      title: row.title,
      status: row.status,
      priority: row.priority,
      dueAt: row.dueAt,
      lastActivityAt: row.lastActivityAt,
      projectCode: row.projectCode,
      assigneeName: row.assigneeId ? (names.get(row.assigneeId) ?? null) : null,
    })),
  );
}

/** People who manage tasks watch the whole organisation's quiet tasks; others their own. */
export function staleScope(ctx: ServiceContext): "organisation" | "mine" {
  return ctx.permissions.has("tasks.manage") ? "organisation" : "mine";
}

export function myTasksSection(ctx: ServiceContext): PulseList<PulseTask> {
  return tasksOf(ctx, listMyOpenTasks(ctx.db, ctx.orgId, ctx.userId, SECTION_ROWS + 1));
}

export function overdueSection(ctx: ServiceContext, now: Date): PulseList<PulseTask> {
  return tasksOf(ctx, listMyOverdueTasks(ctx.db, ctx.orgId, ctx.userId, now, SECTION_ROWS + 1));
}

export function staleSection(ctx: ServiceContext, now: Date): PulseSections["stale"] {
  const scope = staleScope(ctx);
  const rows = listStaleTasks(ctx.db, ctx.orgId, scope === "organisation" ? null : ctx.userId, now, SECTION_ROWS + 1);
  return { ...tasksOf(ctx, rows), scope };
}

export function approvalsSection(ctx: ServiceContext): PulseSections["approvals"] {
  if (!ctx.permissions.has("approvals.decide")) return null;
  return listOf(listWaitingOnMe(ctx, SECTION_ROWS + 1));
}

export function invoicesSection(ctx: ServiceContext, now: Date): PulseSections["invoices"] {
  if (!ctx.permissions.has("invoices.manage")) return null;
  return listOf(listOverdueInvoices(ctx.db, ctx.orgId, todayUtc(now), SECTION_ROWS + 1));
}

/** My minutes of this week, Monday to Sunday (UTC days, like the time sheets). */
export function hoursSection(ctx: ServiceContext, now: Date): PulseHours {
  const weekStart = weekStartOf(todayUtc(now));
  const days = Array.from({ length: 7 }, (_, index) => addDays(weekStart, index));
  const byDay = minutesByDay(ctx.db, ctx.orgId, ctx.userId, weekStart, addDays(weekStart, 6));
  const perDay = days.map((date) => ({ date, minutes: byDay.get(date) ?? 0 }));
  return { weekStart, days: perDay, totalMinutes: perDay.reduce((sum, day) => sum + day.minutes, 0) };
}

/** The organisation's latest agent runs: which agent, how it ended, what it did. */
export function agentsSection(ctx: ServiceContext): PulseList<PulseAgentRun> {
  return listOf(listAgentOutcomes(ctx.db, ctx.orgId, SECTION_ROWS + 1).map(agentRunOf));
}

/** Everything the Pulse shows a person, or null when they may not read the workspace. */
export function pulseSections(ctx: ServiceContext, now: Date): PulseSections | null {
  if (!ctx.permissions.has("workspace.read")) return null;
  return {
    myTasks: myTasksSection(ctx),
    overdue: overdueSection(ctx, now),
    stale: staleSection(ctx, now),
    approvals: approvalsSection(ctx),
    invoices: invoicesSection(ctx, now),
    hours: hoursSection(ctx, now),
    agents: agentsSection(ctx),
  };
}

/** Events that are not news: a card moved up or down inside its column on the board. */
export const notInFeed = ["task.reordered"];

/** The console page of an event's subject, where there is one. */
export function subjectHref(subjectType: string, subjectId: string): string | null {
  const id = encodeURIComponent(subjectId);
  switch (subjectType) {
    case "task":
      return `/tasks/${id}`;
    case "project":
      return `/projects/${id}`;
    case "team":
      return `/teams/${id}`;
    case "approval":
      return `/approvals/${id}`;
    case "approval_pipeline":
      return "/approvals/pipelines";
    case "invoice":
      return `/invoices/${id}`;
    case "bill":
      return `/bills/${id}`;
    case "document":
      return documentHref(subjectId);
    case "broadcast":
      return `/broadcasts/${id}`;
    case "agent":
      return `/agents/${id}`;
    case "customer":
      return "/customers";
    case "equipment":
      return `/equipment/${id}`;
    case "time_entry":
    case "timer":
    case "timesheet":
      return "/time";
    default:
      return null;
  }
}

export function feedItemOf(
  ctx: Pick<ServiceContext, "keyring" | "orgId" | "userId">,
  event: DomainEvent,
): PulseFeedItem {
  const viewerId = ctx.userId;
  return {
    id: eventIdsOf(ctx.keyring, ctx.orgId).idOf(event.seq),
    type: event.type,
    summary: event.summary,
    href: subjectHref(event.subjectType, event.subjectId),
    occurredAt: event.createdAt,
    forMe: event.audience.includes(viewerId),
  };
}
