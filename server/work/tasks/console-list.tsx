/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { TaskListPage } from "../../../views/pages/work/tasks/list.tsx";
import { MyWorkPage } from "../../../views/pages/work/tasks/mine.tsx";
import type { FieldErrors, TaskFilterValues } from "../../../views/pages/work/tasks/types.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import { latestEventId } from "../../events/ids.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { refusalFromZod } from "../../http/validate-form.ts";
import { weekOf } from "./console-data.ts";
import { myWorkView, taskListProps } from "./console-props.ts";
import { keptPageKey, listTaskSummaries } from "./list.ts";
import { type TaskListQuery, taskListQuery } from "./schemas.ts";

const PAGE_SIZE = 25;

/** The `due` choice of the console's filter as API filters. */
function dueFilter(due: string, now: Date): Record<string, string> {
  if (due === "overdue") return { overdue: "true" };
  if (due === "week") {
    const week = weekOf(now);
    return { dueAfter: week.start.toISOString(), dueBefore: week.end.toISOString() };
  }
  if (due === "month") return { dueBefore: new Date(now.getTime() + 30 * 86_400_000).toISOString() };
  return {};
}

/**
 * /tasks: one query for the page (the API's list, same filters and cursor), one for the people
 * (assignee choices and names) and one for the projects (choices and codes).
 */
export function renderTaskList(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const raw = c.req.query();
  const text = (name: string, max: number) => (raw[name] ?? "").trim().slice(0, max);
  const values: TaskFilterValues = {
    q: text("q", 200),
    status: text("status", 100),
    assigneeId: text("assigneeId", 40),
    projectId: text("projectId", 40),
    label: text("label", 40),
    due: ["overdue", "week", "month"].includes(text("due", 10)) ? text("due", 10) : "",
  };
  // Hand-written URLs of the API's own filters keep working in the console.
  const extra = { dueBefore: text("dueBefore", 40), dueAfter: text("dueAfter", 40), overdue: text("overdue", 5) };
  const filters = { ...values, ...extra };
  const now = new Date();
  const query = Object.fromEntries(
    Object.entries({ ...filters, ...dueFilter(values.due, now), cursor: text("cursor", 500) }).filter(
      ([name, value]) => value !== "" && name !== "due",
    ),
  );
  const parsed = taskListQuery.safeParse({ ...query, limit: String(PAGE_SIZE) });
  let errors: FieldErrors = {};
  let page: ReturnType<typeof listTaskSummaries> = { data: [], nextCursor: null };
  if (parsed.success) page = summaryPage(ctx, parsed.data, now);
  else errors = refusalFromZod(parsed.error).errors;
  return renderPage(
    c,
    { title: "Tasks", current: "/tasks" },
    <TaskListPage {...taskListProps(c, { page, values, errors, filters, cursor: raw.cursor, now })} />,
    parsed.success ? 200 : 422,
  );
}

/**
 * The page's tasks. A page without a cursor, title search or due filter (those move with the
 * clock) is reused until the next write (db-read-cache.ts): what most people open most often.
 */
function summaryPage(ctx: ServiceContext, query: TaskListQuery, now: Date) {
  const read = () => listTaskSummaries(ctx, query, now);
  // The console's due filters are made from the clock ("this week"): those pages are read each time.
  const key = query.dueBefore || query.dueAfter ? null : keptPageKey(ctx, query);
  return key === null ? read() : readUntilWrite(ctx.db, `tasks.consolePage:${key}`, read);
}

/** /tasks/mine: the caller's open tasks, grouped overdue / due this week / later / no date. */
export function renderMyWork(c: Context<AppEnv>) {
  const ctx = serviceContext(c);
  const latest = latestEventId(ctx);
  const live = c.var.auth?.via === "session";
  return renderPage(
    c,
    { title: "My work", current: "/tasks" },
    <MyWorkPage
      {...myWorkView(ctx, c.var.auth?.user.name ?? "Me")}
      // The stream resumes after the newest event this page was drawn with.
      streamUrl={live ? `/tasks/mine/stream?after=${latest}` : null}
    />,
  );
}
