import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { approvalComments, approvalDecisions, approvalRequests } from "../../models/approvals.ts";
import { auditEvents } from "../../models/audit.ts";
import { invoices } from "../../models/billing.ts";
import { domainEvents } from "../../models/events.ts";
import { apiKeys, memberships, organizations, sessions, type User, users } from "../../models/identity.ts";
import { conversationMessages, conversations, documents } from "../../models/knowledge.ts";
import { mailMessages } from "../../models/mail.ts";
import { timeEntries, timers, timesheets } from "../../models/time.ts";
import { projectMembers, projects, taskChanges, taskComments, tasks, teamMembers, teams } from "../../models/work.ts";
import { listUserOrganizations } from "../auth/roles/roles.ts";
import type { Db } from "../db.ts";
import { notFound } from "../http/errors.ts";

/** A zip's content before it is packed: JSON documents by name, and stored files to copy in. */
export type ExportBundle = {
  json: Record<string, unknown>;
  files: { name: string; sha256: string }[];
};

/**
 * Everything one organisation holds about a person, as JSON documents plus their uploads. Other
 * people appear by id only (context, not their data); nothing secret or hashed is included
 * (passwords, second-factor keys, session and key secrets, single-use links in mail bodies).
 * `self` is the person's own export: it adds the account's other organisations (names and roles)
 * and sessions of every organisation, which are the person's and not the organisation's.
 */
export function exportPerson(db: Db, input: { orgId: string; userId: string; self: boolean }): ExportBundle {
  const { orgId, userId } = input;
  const member = db
    .select()
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .get();
  if (!member) throw notFound("person");
  const user = member.users;
  const organization = db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .get();

  const taskList = db
    .select()
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), or(eq(tasks.assigneeId, userId), eq(tasks.reporterId, userId))))
    .all();
  const requests = db
    .select()
    .from(approvalRequests)
    .where(and(eq(approvalRequests.orgId, orgId), eq(approvalRequests.requestedBy, userId)))
    .all();
  const decisions = db
    .select({ decision: approvalDecisions, request: { id: approvalRequests.id, title: approvalRequests.title } })
    .from(approvalDecisions)
    .innerJoin(approvalRequests, eq(approvalRequests.id, approvalDecisions.requestId))
    .where(and(eq(approvalDecisions.orgId, orgId), eq(approvalDecisions.deciderId, userId)))
    .all();
  const myConversations = db
    .select()
    .from(conversations)
    .where(and(eq(conversations.orgId, orgId), eq(conversations.userId, userId)))
    .all();
  const messages = myConversations.length
    ? db
        .select()
        .from(conversationMessages)
        .where(
          inArray(
            conversationMessages.conversationId,
            myConversations.map((row) => row.id),
          ),
        )
        .all()
    : [];
  const uploads = db
    .select()
    .from(documents)
    .where(and(eq(documents.orgId, orgId), eq(documents.uploadedBy, userId)))
    .all();

  const json: Record<string, unknown> = {
    "profile.json": {
      ...accountFacts(user),
      organization,
      role: member.memberships.role,
      nameInOrganization: member.memberships.displayName,
      memberSince: member.memberships.createdAt,
    },
    "memberships.json": input.self
      ? listUserOrganizations(db, userId)
      : [{ id: orgId, name: organization?.name ?? "", role: member.memberships.role }],
    "sessions.json": db
      .select({
        id: sessions.id,
        orgId: sessions.orgId,
        ipAddress: sessions.ipAddress,
        userAgent: sessions.userAgent,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        idleExpiresAt: sessions.idleExpiresAt,
        absoluteExpiresAt: sessions.absoluteExpiresAt,
      })
      .from(sessions)
      .where(
        input.self
          ? eq(sessions.userId, userId)
          : and(eq(sessions.userId, userId), or(eq(sessions.orgId, orgId), isNull(sessions.orgId))),
      )
      .all(),
    "api-keys.json": db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        expiresAt: apiKeys.expiresAt,
        lastUsedAt: apiKeys.lastUsedAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.userId, userId)))
      .all(),
    "projects.json": db
      .select({ id: projects.id, code: projects.code, name: projects.name, ownerId: projects.ownerId })
      .from(projects)
      .where(
        and(
          eq(projects.orgId, orgId),
          or(
            eq(projects.ownerId, userId),
            inArray(
              projects.id,
              db.select({ id: projectMembers.projectId }).from(projectMembers).where(eq(projectMembers.userId, userId)),
            ),
          ),
        ),
      )
      .all(),
    "teams.json": db
      .select({ id: teams.id, name: teams.name, leadId: teams.leadId })
      .from(teams)
      .where(
        and(
          eq(teams.orgId, orgId),
          or(
            eq(teams.leadId, userId),
            inArray(
              teams.id,
              db.select({ id: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId)),
            ),
          ),
        ),
      )
      .all(),
    "tasks-reported.json": taskList.filter((task) => task.reporterId === userId),
    "tasks-assigned.json": taskList.filter((task) => task.assigneeId === userId),
    "comments.json": db
      .select()
      .from(taskComments)
      .where(and(eq(taskComments.orgId, orgId), eq(taskComments.authorId, userId)))
      .all(),
    "task-history.json": db
      .select()
      .from(taskChanges)
      .where(and(eq(taskChanges.orgId, orgId), eq(taskChanges.actorId, userId)))
      .all(),
    "time-entries.json": db
      .select()
      .from(timeEntries)
      .where(and(eq(timeEntries.orgId, orgId), eq(timeEntries.userId, userId)))
      .all(),
    "timers.json": db
      .select()
      .from(timers)
      .where(and(eq(timers.orgId, orgId), eq(timers.userId, userId)))
      .all(),
    "timesheets.json": db
      .select()
      .from(timesheets)
      .where(and(eq(timesheets.orgId, orgId), eq(timesheets.userId, userId)))
      .all(),
    "approvals-requested.json": requests,
    "approvals-decided.json": decisions.map((row) => ({ ...row.decision, requestTitle: row.request.title })),
    "approval-comments.json": db
      .select()
      .from(approvalComments)
      .where(and(eq(approvalComments.orgId, orgId), eq(approvalComments.authorId, userId)))
      .all(),
    // Invoices are the customer's business: only which ones the person made, for context.
    "invoices-created.json": db
      .select({
        id: invoices.id,
        number: invoices.number,
        status: invoices.status,
        issueDate: invoices.issueDate,
        total: invoices.total,
        currency: invoices.currency,
        createdAt: invoices.createdAt,
      })
      .from(invoices)
      .where(and(eq(invoices.orgId, orgId), eq(invoices.createdBy, userId)))
      .all(),
    "documents.json": uploads,
    "conversations.json": myConversations.map((conversation) => ({
      ...conversation,
      messages: messages.filter((message) => message.conversationId === conversation.id),
    })),
    "audit-events.json": db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.orgId, orgId),
          or(
            eq(auditEvents.actorUserId, userId),
            and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId)),
          ),
        ),
      )
      .all(),
    "events.json": db
      .select({
        id: domainEvents.seq,
        type: domainEvents.type,
        subjectType: domainEvents.subjectType,
        subjectId: domainEvents.subjectId,
        summary: domainEvents.summary,
        createdAt: domainEvents.createdAt,
      })
      .from(domainEvents)
      .where(and(eq(domainEvents.orgId, orgId), eq(domainEvents.actorId, userId)))
      .all(),
    // Mail to the person, without its body: a body may hold a link that works once.
    "mail.json": db
      .select({
        id: mailMessages.id,
        subject: mailMessages.subject,
        template: mailMessages.template,
        status: mailMessages.status,
        createdAt: mailMessages.createdAt,
      })
      .from(mailMessages)
      .where(
        and(
          eq(mailMessages.toAddress, user.email),
          input.self ? or(eq(mailMessages.orgId, orgId), isNull(mailMessages.orgId)) : eq(mailMessages.orgId, orgId),
        ),
      )
      .all(),
  };
  return {
    json,
    files: uploads.map((upload) => ({
      name: `files/${upload.id}-${safeFileName(upload.fileName)}`,
      sha256: upload.sha256,
    })),
  };
}

/** The account's facts that are not secret: never the password hash or the second-factor key. */
function accountFacts(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    status: user.status,
    twoFactorEnabled: user.totpEnabledAt !== null,
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
    passwordChangedAt: user.passwordChangedAt,
  };
}

/** A stored name as a zip entry's last part: no folders, no control characters. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[\\/]/g, "_").replace(/\p{Cc}/gu, "");
  return cleaned.slice(-120) || "file";
}
