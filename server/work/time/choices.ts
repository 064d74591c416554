import { and, asc, desc, eq, ne } from "drizzle-orm";
import { projects, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/context.ts";
import type { Work } from "./entry-rules.ts";

/** What time can be logged on in the console: the person's open tasks, then the active projects. */
export type WorkChoices = {
  tasks: { value: string; label: string }[];
  projects: { value: string; label: string }[];
};

const TASK_CHOICES = 50;

export function workChoicesOf(ctx: ServiceContext): WorkChoices {
  const myTasks = ctx.db
    .select({ id: tasks.id, title: tasks.title, code: projects.code })
    .from(tasks)
    .leftJoin(projects, eq(projects.id, tasks.projectId))
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.assigneeId, ctx.userId), ne(tasks.status, "done")))
    .orderBy(desc(tasks.lastActivityAt))
    .limit(TASK_CHOICES)
    .all();
  const active = ctx.db
    .select({ id: projects.id, code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, ctx.orgId), eq(projects.status, "active")))
    .orderBy(asc(projects.code))
    .all();
  return {
    tasks: myTasks.map((task) => ({
      value: `task:${task.id}`,
      label: task.code ? `${task.code} · ${task.title}` : task.title,
    })),
    projects: active.map((project) => ({ value: `project:${project.id}`, label: `${project.code} · ${project.name}` })),
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
