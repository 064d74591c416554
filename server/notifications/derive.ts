import { and, eq } from "drizzle-orm";
import { agentLabel } from "../../models/agents.ts";
import { approvalComments, approvalRequests } from "../../models/approvals.ts";
import type { DomainEvent } from "../../models/events.ts";
import type { NotificationKind } from "../../models/notifications.ts";
import { taskComments, tasks } from "../../models/work.ts";
import type { Db } from "../db.ts";
import { namesOf } from "../members/directory.ts";
import { mentionedIn } from "../tools/mentions.ts";
import type { OrganizationAudience } from "./audience.ts";

/** One person to tell about one event. */
export type Derived = { userId: string; kind: NotificationKind; title: string; link: string };

type Draft = { userId: string | null | undefined; kind: NotificationKind; title: string };

/** The event types that can tell anyone anything: the notifier skips the rest without reading who is in the organisation. */
export const notifyingTypes: ReadonlySet<string> = new Set([
  "task.created",
  "task.updated",
  "task.commented",
  "task.stuck",
  "approval.requested",
  "approval.decided",
  "approval.completed",
  "approval.rejected",
  "approval.commented",
  "invoice.status_changed",
  "bill.review_requested",
  "timesheet.approved",
  "timesheet.rejected",
  "timesheet.draft_ready",
]);

/**
 * Event → recipients → kinds: who an event tells what, before preferences. Never the person
 * who caused it, never someone who may not see the record (OrganizationAudience.maySee), at
 * most one notification per person and event (the first draft for them wins).
 */
export function deriveNotifications(db: Db, audience: OrganizationAudience, event: DomainEvent): Derived[] {
  const drafts = draftsOf(db, audience, event);
  if (drafts.length === 0) return [];
  const link = linkOf(event);
  const seen = new Set<string>();
  const derived: Derived[] = [];
  for (const draft of drafts) {
    const userId = draft.userId;
    if (!userId || userId === event.actorId || seen.has(userId)) continue;
    const recipient = audience.find(userId);
    if (!recipient || !audience.maySee(recipient, event)) continue;
    seen.add(userId);
    derived.push({ userId, kind: draft.kind, title: draft.title, link });
  }
  return derived;
}

function draftsOf(db: Db, audience: OrganizationAudience, event: DomainEvent): Draft[] {
  const actor = actorOf(db, event);
  const data = event.data;
  const title = typeof data.title === "string" ? data.title : "";
  switch (event.type) {
    case "task.created":
      return [{ userId: text(data.assigneeId), kind: "task_assigned", title: `${actor} assigned “${title}” to you` }];
    case "task.updated": {
      const changes = data.changes as Record<string, { to?: unknown }> | undefined;
      const to = text(changes?.assigneeId?.to);
      return to ? [{ userId: to, kind: "task_assigned", title: `${actor} assigned “${title}” to you` }] : [];
    }
    case "task.commented":
      return commentDrafts(db, audience, event, actor, title);
    case "task.stuck": {
      const reason = typeof data.reason === "string" ? data.reason : "";
      const tell = Array.isArray(data.tell) ? data.tell : [];
      return tell.map((userId) => ({ userId: text(userId), kind: "agents", title: `${actor}: “${title}” ${reason}` }));
    }
    case "approval.requested":
      return event.audience.map((userId) => ({
        userId,
        kind: "approval_waiting",
        title: `${actor} asks for your approval of “${title}”`,
      }));
    case "approval.decided": {
      // Only a step that moved on waits on new people; the rest of the same step were told already.
      const moved = data.status === "pending" && Number(data.currentStep) > Number(data.stepIndex);
      if (!moved) return [];
      const requester = requesterOf(db, event);
      return event.audience
        .filter((userId) => userId !== requester)
        .map((userId) => ({ userId, kind: "approval_waiting", title: `“${title}” waits on your approval` }));
    }
    case "approval.completed":
    case "approval.rejected": {
      const verb = event.type === "approval.completed" ? "was approved" : `was rejected by ${actor}`;
      return [{ userId: requesterOf(db, event), kind: "approval_decided", title: `Your request “${title}” ${verb}` }];
    }
    case "approval.commented":
      return approvalCommentDrafts(db, audience, event, actor, title);
    case "invoice.status_changed": {
      if (data.to !== "sent" && data.to !== "paid") return [];
      const number = typeof data.number === "string" ? data.number : "";
      const what = data.to === "sent" ? `was sent by ${actor}` : "was paid";
      return audience
        .all()
        .filter((member) => member.permissions.has("invoices.manage"))
        .map((member) => ({ userId: member.id, kind: "invoice_status", title: `Invoice ${number} ${what}` }));
    }
    case "bill.review_requested": {
      const reason = typeof data.reason === "string" ? data.reason : "";
      return audience
        .all()
        .filter((member) => member.permissions.has("bills.manage"))
        .map((member) => ({
          userId: member.id,
          kind: "agents",
          title: `${actor}: “${title}” waits for review (${reason})`,
        }));
    }
    case "timesheet.approved":
    case "timesheet.rejected": {
      const week = typeof data.weekStart === "string" ? data.weekStart : "";
      const verb = event.type === "timesheet.approved" ? "was approved" : "was returned to you";
      return [
        {
          userId: text(data.userId),
          kind: "timesheet_decided",
          title: `Your timesheet for the week of ${week} ${verb}`,
        },
      ];
    }
    case "timesheet.draft_ready": {
      const week = typeof data.weekStart === "string" ? data.weekStart : "";
      const count = Number(data.suggestions ?? 0);
      const what = count > 0 ? `${count} suggested entr${count === 1 ? "y" : "ies"}` : "suggestions from GitHub";
      return [
        {
          userId: text(data.userId),
          kind: "timesheet_draft",
          title: `Your timesheet draft for the week of ${week} is ready: ${what} to review`,
        },
      ];
    }
    default:
      return [];
  }
}

/** Who the comment of the event (`data.commentId`, a task's or a request's) mentions by @name. */
function mentionedByComment(
  db: Db,
  table: typeof taskComments | typeof approvalComments,
  audience: OrganizationAudience,
  event: DomainEvent,
): string[] {
  const commentId = text(event.data.commentId);
  if (!commentId) return [];
  const comment = db
    .select({ body: table.body })
    .from(table)
    .where(and(eq(table.orgId, event.orgId), eq(table.id, commentId)))
    .get();
  return comment ? mentionedIn(comment.body, audience.all()) : [];
}

/** The task's assignee and reporter (a comment on their task), then everyone the comment mentions. */
function commentDrafts(db: Db, audience: OrganizationAudience, event: DomainEvent, actor: string, title: string) {
  const task = db
    .select({ assigneeId: tasks.assigneeId, reporterId: tasks.reporterId })
    .from(tasks)
    .where(and(eq(tasks.orgId, event.orgId), eq(tasks.id, event.subjectId)))
    .get();
  if (!task) return [];
  const drafts: Draft[] = mentionedByComment(db, taskComments, audience, event).map((userId) => ({
    userId,
    kind: "task_comment",
    title: `${actor} mentioned you on “${title}”`,
  }));
  for (const userId of [task.assigneeId, task.reporterId]) {
    drafts.push({ userId, kind: "task_comment", title: `${actor} commented on your task “${title}”` });
  }
  return drafts;
}

/**
 * The people mentioned in a comment on a request, then its requester and whoever it waits on now
 * (the event's audience); mentioned people who may not see the request are dropped by maySee.
 */
function approvalCommentDrafts(
  db: Db,
  audience: OrganizationAudience,
  event: DomainEvent,
  actor: string,
  title: string,
): Draft[] {
  return [
    ...mentionedByComment(db, approvalComments, audience, event).map((userId) => ({
      userId,
      kind: "approval_comment" as const,
      title: `${actor} mentioned you on the request “${title}”`,
    })),
    ...event.audience.map((userId) => ({
      userId,
      kind: "approval_comment" as const,
      title: `${actor} commented on the request “${title}”`,
    })),
  ];
}

function requesterOf(db: Db, event: DomainEvent): string | null {
  const row = db
    .select({ requestedBy: approvalRequests.requestedBy })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.orgId, event.orgId), eq(approvalRequests.id, event.subjectId)))
    .get();
  return row?.requestedBy ?? null;
}

function actorOf(db: Db, event: DomainEvent): string {
  if (!event.actorId) return typeof event.data.agentId === "string" ? agentLabel(event.data.agentId) : "Opsbox";
  return namesOf(db, event.orgId, [event.actorId]).get(event.actorId) ?? "Someone";
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

/** Where the record's page is in the console. */
export function linkOf(event: Pick<DomainEvent, "subjectType" | "subjectId" | "data">): string {
  const id = encodeURIComponent(event.subjectId);
  switch (event.subjectType) {
    case "task":
      return `/tasks/${id}`;
    case "approval":
      return `/approvals/${id}`;
    case "invoice":
      return `/invoices/${id}`;
    case "bill":
      return `/bills/${id}`;
    case "timesheet":
      if (typeof event.data.weekStart !== "string") return "/time";
      return `${event.data.draft === true ? "/time/draft" : "/time"}?week=${event.data.weekStart}`;
    default:
      return "/";
  }
}
