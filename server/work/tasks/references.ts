import { and, eq, ne, sql } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { type Project, projects } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
import { rawStatement } from "../../db-prepared.ts";
import { AppError } from "../../http/errors.ts";
import type { Member } from "../../members/directory.ts";

export type ProjectRef = Pick<Project, "id" | "code" | "name" | "status">;

function invalid(path: string, message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path, message }]);
}

/**
 * The project a task is put into: one of the organisation's (else 422 on projectId) and not
 * archived (an archived project takes no new work).
 */
export function requireOpenProject(db: Queryable, orgId: string, projectId: string): ProjectRef {
  const [project] = rawStatement<ProjectRef>(db, "tasks.project", () =>
    db
      .select({ id: projects.id, code: projects.code, name: projects.name, status: projects.status })
      .from(projects)
      .where(and(eq(projects.orgId, sql.placeholder("orgId")), eq(projects.id, sql.placeholder("id")))),
  ).all({ orgId, id: projectId });
  if (!project) throw invalid("projectId", "No such project in this organisation.");
  if (project.status === "archived") {
    throw invalid("projectId", "This project is archived and takes no new tasks. Reopen it first.");
  }
  return project;
}

/**
 * The person a task is given to: an active member of the organisation, else 422 on assigneeId.
 * The rule of assertMember (server/members/directory.ts), from a statement prepared once, because task
 * creation is benchmarked.
 */
export function requireAssignee(db: Queryable, orgId: string, userId: string): Pick<Member, "id" | "name"> {
  const [member] = rawStatement<Pick<Member, "id" | "name">>(db, "tasks.assignee", () =>
    db
      // The organisation's own name for a member when it has one (a raw row: the alias names the column).
      .select({ id: users.id, name: sql<string>`coalesce(${memberships.displayName}, ${users.name})`.as("name") })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.orgId, sql.placeholder("orgId")),
          eq(memberships.userId, sql.placeholder("userId")),
          ne(users.status, "deactivated"),
        ),
      ),
  ).all({ orgId, userId });
  if (!member) throw invalid("assigneeId", "No such person in this organisation.");
  return member;
}
