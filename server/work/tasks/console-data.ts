import { and, asc, eq, ne, sql } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { projects, type Task } from "../../../models/work.ts";
import type { Choice, ProjectChoice } from "../../../views/pages/work/tasks/types.ts";
import type { Queryable } from "../../db.ts";
import { rawStatement } from "../../db-prepared.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { namesOf } from "../../members/directory.ts";

/** Data the task pages share: people and projects to pick from, names by id (console-props.ts makes rows of them). */

/** The organisation's projects by code (archived ones marked: they take no new tasks). */
export function projectChoices(db: Queryable, orgId: string): ProjectChoice[] {
  return readUntilWrite(db, `tasks.projectChoices:${orgId}`, () => readProjectChoices(db, orgId));
}

function readProjectChoices(db: Queryable, orgId: string): ProjectChoice[] {
  return rawStatement<{ id: string; code: string; name: string; status: string }>(db, "tasks.projectChoices", () =>
    db
      .select({ id: projects.id, code: projects.code, name: projects.name, status: projects.status })
      .from(projects)
      .where(eq(projects.orgId, sql.placeholder("orgId")))
      .orderBy(asc(projects.code)),
  )
    .all({ orgId })
    .map((project) => ({
      id: project.id,
      code: project.code,
      name: project.name,
      archived: project.status === "archived",
    }));
}

/**
 * Active people of the organisation, by name: the assignee choices and most names a page shows.
 * The same people as listMembers (server/members/directory.ts), from a statement prepared once and
 * reused until the next write (db-read-cache.ts): the task list shows them on every load.
 */
export function peopleChoices(db: Queryable, orgId: string): Choice[] {
  return readUntilWrite(db, `tasks.people:${orgId}`, () => readPeopleChoices(db, orgId));
}

function readPeopleChoices(db: Queryable, orgId: string): Choice[] {
  return rawStatement<Choice>(db, "tasks.people", () =>
    db
      // The organisation's own name for a member when it has one (a raw row: the alias names the column).
      .select({ id: users.id, name: sql<string>`coalesce(${memberships.displayName}, ${users.name})`.as("name") })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.orgId, sql.placeholder("orgId")), ne(users.status, "deactivated")))
      .orderBy(sql`2`),
  ).all({ orgId });
}

/** Names by id: the active people, plus (rarely, one read) anyone else the tasks mention. */
export function nameBook(db: Queryable, orgId: string, people: Choice[], ids: (string | null)[]): Map<string, string> {
  const names = new Map(people.map((person) => [person.id, person.name]));
  const missing = ids.filter((id): id is string => id !== null && !names.has(id));
  if (missing.length > 0) for (const [id, name] of namesOf(db, orgId, missing)) names.set(id, name);
  return names;
}

/** The end (Sunday 23:59:59.999 UTC) and start (Monday 00:00 UTC) of the week of `now`. */
export function weekOf(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const end = new Date(start.getTime() + 7 * 86_400_000 - 1);
  return { start, end };
}

export function isOverdue(task: Pick<Task, "dueAt" | "status">, now: Date): boolean {
  return task.dueAt !== null && task.status !== "done" && task.dueAt.getTime() < now.getTime();
}
