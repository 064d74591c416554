import { and, asc, desc, eq, ne, notInArray } from "drizzle-orm";
import { projectMembers, projects, tasks } from "../../../models/work.ts";
import type { WorkChoicesView } from "../../../views/partials/work/time/parts.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import type { Work } from "./entry-rules.ts";

/**
 * What time can be logged on in the console: the person's open tasks, the active projects they
 * are a member of, then other active projects by code. Each part is bounded: the week page
 * draws the picker once per entry, and an organisation may have thousands of projects.
 * `moreProjects`: there are active projects the list leaves out (the API takes any of them).
 */
export type WorkChoices = WorkChoicesView;

const TASK_CHOICES = 50;
const projectColumns = { id: projects.id, code: projects.code, name: projects.name };
export const PROJECT_CHOICES = 200;

/**
 * The person's choices, reused until the next write to the database (db-read-cache.ts): the week
 * page draws them on every load, and their three reads cost more than the rest of the page.
 * The value is shared between requests (and views memoise their markup by it): never modify it.
 */
export function workChoicesOf(ctx: ServiceContext): WorkChoices {
  return readUntilWrite(ctx.db, `time.workChoices:${ctx.orgId}:${ctx.userId}`, () => readWorkChoices(ctx));
}

function readWorkChoices(ctx: ServiceContext): WorkChoices {
  const myTasks = ctx.db
    .select({ id: tasks.id, title: tasks.title, code: projects.code })
    .from(tasks)
    .leftJoin(projects, eq(projects.id, tasks.projectId))
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.assigneeId, ctx.userId), ne(tasks.status, "done")))
    .orderBy(desc(tasks.lastActivityAt))
    .limit(TASK_CHOICES)
    .all();
  // From the person's memberships (project_members_user_idx), not through every project by code:
  // SQLite keeps the tables of a CROSS JOIN in the order written.
  const mine = ctx.db
    .select(projectColumns)
    .from(projectMembers)
    .crossJoin(projects)
    .where(
      and(
        eq(projects.id, projectMembers.projectId),
        eq(projectMembers.userId, ctx.userId),
        eq(projectMembers.orgId, ctx.orgId),
        eq(projects.orgId, ctx.orgId),
        eq(projects.status, "active"),
      ),
    )
    .orderBy(asc(projects.code))
    .limit(PROJECT_CHOICES)
    .all();
  const others = ctx.db
    .select(projectColumns)
    .from(projects)
    .where(
      and(
        eq(projects.orgId, ctx.orgId),
        eq(projects.status, "active"),
        mine.length > 0
          ? notInArray(
              projects.id,
              mine.map((project) => project.id),
            )
          : undefined,
      ),
    )
    .orderBy(asc(projects.code))
    .limit(PROJECT_CHOICES + 1)
    .all();
  const choice = (project: { id: string; code: string; name: string }) => ({
    value: `project:${project.id}`,
    label: `${project.code} · ${project.name}`,
  });
  return {
    tasks: myTasks.map((task) => ({
      value: `task:${task.id}`,
      label: task.code ? `${task.code} · ${task.title}` : task.title,
    })),
    myProjects: mine.map(choice),
    projects: others.slice(0, PROJECT_CHOICES).map(choice),
    moreProjects: others.length > PROJECT_CHOICES,
  };
}

/** The one `work` select of the console forms (`task:tsk_…` or `project:prj_…`) as a task or project id. */
export function workOfChoice(value: string): Work {
  if (value.startsWith("task:")) return { taskId: value.slice(5), projectId: null };
  if (value.startsWith("project:")) return { taskId: null, projectId: value.slice(8) };
  return { taskId: null, projectId: null };
}

/** The value of the `work` select for a task or project already chosen. */
export function choiceOfWork(work: Work): string {
  if (work.taskId) return `task:${work.taskId}`;
  return work.projectId ? `project:${work.projectId}` : "";
}
