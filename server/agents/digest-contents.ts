import { and, desc, eq, gt, isNotNull, lt, lte, ne } from "drizzle-orm";
import { domainEvents } from "../../models/events.ts";
import { projectMembers, projects, tasks } from "../../models/work.ts";
import type { Queryable } from "../db.ts";
import { listActiveMembers, type Member } from "../members/directory.ts";
import { currentApproverIdsOfMany } from "../work/approvals/routing.ts";
import { listPendingSteps } from "../work/approvals/urgency.ts";
import { isStuck } from "../work/tasks/stuck.ts";

/** Lines of changes a digest shows per person (the count says how many there were). */
const CHANGE_LINES = 5;
/** Changes read per organisation and digest: a busier day is counted up to here. */
const CHANGES_READ = 20_000;

export type DigestTask = { id: string; title: string; dueAt: Date | null };
export type DigestApproval = { id: string; title: string; waitingSince: Date };
export type DigestChange = { taskId: string; summary: string; at: Date };

/** What one person's digest says; empty lists say nothing. */
export type PersonDigest = {
  person: Member;
  dueToday: DigestTask[];
  overdue: DigestTask[];
  approvals: DigestApproval[];
  stuck: DigestTask[];
  changes: { count: number; latest: DigestChange[] };
};

export type DigestWindow = {
  now: Date;
  /** The end of the organisation's local day: tasks due before it are due today (or overdue). */
  dayEnd: Date;
  /** Changes after this instant and after this event count (the last digest's). */
  since: Date;
  afterSeq: number;
};

function hasNews(digest: PersonDigest): boolean {
  return (
    digest.dueToday.length + digest.overdue.length + digest.approvals.length + digest.stuck.length > 0 ||
    digest.changes.count > 0
  );
}

const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
};

/**
 * Every active member's digest in the organisation, people with nothing to say left out. One
 * read per kind for the whole organisation (members, due tasks, stuck tasks, waiting approvals,
 * project people, changes), never one per person.
 */
export function gatherDigests(db: Queryable, orgId: string, window: DigestWindow): PersonDigest[] {
  const open = and(eq(tasks.orgId, orgId), isNotNull(tasks.assigneeId), ne(tasks.status, "done"));
  const dueRows = db
    .select({ id: tasks.id, title: tasks.title, dueAt: tasks.dueAt, assigneeId: tasks.assigneeId })
    .from(tasks)
    .where(and(open, lt(tasks.dueAt, window.dayEnd)))
    .orderBy(tasks.dueAt, tasks.id)
    .all();
  const stuckRows = db
    .select({
      id: tasks.id,
      title: tasks.title,
      dueAt: tasks.dueAt,
      assigneeId: tasks.assigneeId,
      stuckAt: tasks.stuckAt,
      lastActivityAt: tasks.lastActivityAt,
    })
    .from(tasks)
    .where(and(open, isNotNull(tasks.stuckAt)))
    .orderBy(tasks.id)
    .all()
    .filter(isStuck);
  const dueToday = new Map<string, DigestTask[]>();
  const overdue = new Map<string, DigestTask[]>();
  for (const { assigneeId, ...task } of dueRows) {
    if (!assigneeId || !task.dueAt) continue;
    push(task.dueAt < window.now ? overdue : dueToday, assigneeId, task);
  }
  const stuck = new Map<string, DigestTask[]>();
  for (const row of stuckRows) {
    if (row.assigneeId) push(stuck, row.assigneeId, { id: row.id, title: row.title, dueAt: row.dueAt });
  }
  const approvals = waitingApprovals(db, orgId);
  const changes = changesByPerson(db, orgId, window);
  // Active accounts only, as for every notification e-mail: an invitation not yet accepted gets none.
  return listActiveMembers(db, orgId)
    .map((person) => ({
      person,
      dueToday: dueToday.get(person.id) ?? [],
      overdue: overdue.get(person.id) ?? [],
      approvals: approvals.get(person.id) ?? [],
      stuck: stuck.get(person.id) ?? [],
      changes: changes.get(person.id) ?? { count: 0, latest: [] },
    }))
    .filter(hasNews);
}

/** Pending approvals by the people their current step waits on. */
function waitingApprovals(db: Queryable, orgId: string): Map<string, DigestApproval[]> {
  const waiting = listPendingSteps(db, orgId);
  const approvers = currentApproverIdsOfMany(
    db,
    orgId,
    waiting.map((item) => item.request),
  );
  const byPerson = new Map<string, DigestApproval[]>();
  for (const { request, waitingSince } of waiting) {
    for (const userId of approvers.get(request.id) ?? []) {
      push(byPerson, userId, { id: request.id, title: request.title, waitingSince });
    }
  }
  return byPerson;
}

/**
 * What others changed on the tasks of each person's projects (projects they own or are a member
 * of) since the last digest: a count and the latest lines, from the event log's task events.
 */
function changesByPerson(db: Queryable, orgId: string, window: DigestWindow) {
  const people = new Map<string, Set<string>>();
  const add = (projectId: string, userId: string | null) => {
    if (!userId) return;
    const set = people.get(projectId) ?? new Set<string>();
    set.add(userId);
    people.set(projectId, set);
  };
  const owners = db
    .select({ projectId: projects.id, userId: projects.ownerId })
    .from(projects)
    .where(and(eq(projects.orgId, orgId), ne(projects.status, "archived")))
    .all();
  for (const row of owners) add(row.projectId, row.userId);
  const members = db
    .select({ projectId: projectMembers.projectId, userId: projectMembers.userId })
    .from(projectMembers)
    .where(eq(projectMembers.orgId, orgId))
    .all();
  for (const row of members) add(row.projectId, row.userId);
  const events = db
    .select({
      seq: domainEvents.seq,
      taskId: tasks.id,
      projectId: tasks.projectId,
      actorId: domainEvents.actorId,
      summary: domainEvents.summary,
      at: domainEvents.createdAt,
    })
    .from(domainEvents)
    .innerJoin(tasks, and(eq(tasks.id, domainEvents.subjectId), eq(tasks.orgId, orgId)))
    .where(
      and(
        eq(domainEvents.orgId, orgId),
        gt(domainEvents.seq, window.afterSeq),
        eq(domainEvents.subjectType, "task"),
        gt(domainEvents.createdAt, window.since),
        lte(domainEvents.createdAt, window.now),
        isNotNull(tasks.projectId),
      ),
    )
    .orderBy(desc(domainEvents.seq))
    .limit(CHANGES_READ)
    .all();
  const byPerson = new Map<string, { count: number; latest: DigestChange[] }>();
  for (const event of events) {
    for (const userId of people.get(event.projectId ?? "") ?? []) {
      if (userId === event.actorId) continue;
      const mine = byPerson.get(userId) ?? { count: 0, latest: [] };
      mine.count += 1;
      if (mine.latest.length < CHANGE_LINES)
        mine.latest.push({ taskId: event.taskId, summary: event.summary, at: event.at });
      byPerson.set(userId, mine);
    }
  }
  return byPerson;
}

/** The organisation's latest event (a digest's changes start after it next time). */
export function latestEventSeq(db: Queryable, orgId: string): number {
  return (
    db
      .select({ seq: domainEvents.seq })
      .from(domainEvents)
      .where(eq(domainEvents.orgId, orgId))
      .orderBy(desc(domainEvents.seq))
      .limit(1)
      .get()?.seq ?? 0
  );
}
