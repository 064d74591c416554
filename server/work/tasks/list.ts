import type { SQLQueryBindings } from "bun:sqlite";
import { and, desc, eq, gte, inArray, isNull, lt, lte, ne, or, type SQL, sql } from "drizzle-orm";
import { type Task, type TaskStatus, taskStatuses, tasks } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { queryPlan, rawStatement } from "../../db-prepared.ts";
import { cursorId, pageOf } from "../../http/cursor.ts";
import { summaryColumns, type TaskRow, type TaskSummary, taskFromRow, taskSummaryFromRow } from "./rows.ts";
import type { TaskListQuery } from "./schemas.ts";

const ph = sql.placeholder;
type Params = Record<string, string | number>;

/**
 * One page of the organisation's tasks, newest first, keyset-paged by id (new tasks only ever get
 * larger ids, so they never shift a later page). One indexed query per request: the statement of
 * each filter combination is prepared once; there is no COUNT and nothing per row.
 */
export function listTasks(
  ctx: Pick<ServiceContext, "db" | "orgId" | "userId">,
  query: TaskListQuery,
  now = new Date(),
): { data: Task[]; nextCursor: string | null } {
  const { statement, params } = listStatement(ctx, query, now, "all");
  return pageOf(statement.all(params).map(taskFromRow), query.limit, (task) => [task.id]);
}

/**
 * The same page as listTasks with only the columns a list row shows: the console's list page
 * (its most loaded page) does not read every description of the page to draw titles.
 */
export function listTaskSummaries(
  ctx: Pick<ServiceContext, "db" | "orgId" | "userId">,
  query: TaskListQuery,
  now = new Date(),
): { data: TaskSummary[]; nextCursor: string | null } {
  const { statement, params } = listStatement(ctx, query, now, "summary");
  return pageOf(statement.all(params).map(taskSummaryFromRow), query.limit, (task) => [task.id]);
}

/** The person the list is filtered to: an id, "none", or undefined; "me" is the caller. */
function assigneeFilter(ctx: Pick<ServiceContext, "userId">, query: Pick<TaskListQuery, "assigneeId">) {
  return query.assigneeId === "me" ? ctx.userId : query.assigneeId;
}

/** SQLite's plan of the list query for these filters (tests and the benchmark check its index use). */
export function explainListTasks(ctx: Pick<ServiceContext, "db" | "orgId" | "userId">, query: TaskListQuery): string[] {
  const { statement, params } = listStatement(ctx, query, new Date(), "all");
  return queryPlan(ctx.db, statement.sql, statement.bind(params) as SQLQueryBindings[]);
}

function listStatement(
  ctx: Pick<ServiceContext, "db" | "orgId" | "userId">,
  query: TaskListQuery,
  now: Date,
  columns: "all" | "summary",
) {
  const { shape, params, statusCount } = filtersOf(ctx, query, now);
  const statement = rawStatement<TaskRow>(ctx.db, `tasks.list:${columns}:${shape.join(",")}`, () =>
    (columns === "all" ? ctx.db.select() : ctx.db.select(summaryColumns))
      .from(tasks)
      .where(and(...conditionsFor(shape, statusCount)))
      .orderBy(desc(tasks.id))
      .limit(ph("limit")),
  );
  return { statement, params };
}

/**
 * The key under which a first page of these filters is kept until the next write
 * (db-read-cache.ts), made from the same filters the query is: null for a page that must be read
 * each time (a later page, a title search, "overdue", which moves with the clock).
 */
export function keptPageKey(ctx: Pick<ServiceContext, "orgId" | "userId">, query: TaskListQuery): string | null {
  if (query.cursor !== undefined || query.q || query.overdue !== undefined) return null;
  // The shape too: "unassigned" is a condition without a value.
  const { shape, params } = filtersOf(ctx, query, new Date());
  return JSON.stringify([shape, params]);
}

/** The filter shape (which conditions) and the values of the list query. */
function filtersOf(ctx: Pick<ServiceContext, "orgId" | "userId">, query: TaskListQuery, now: Date) {
  const params: Params = { orgId: ctx.orgId, limit: query.limit + 1 };
  const shape: string[] = [];
  const assignee = assigneeFilter(ctx, query);
  if (assignee === "none") shape.push("a0");
  else if (assignee !== undefined) {
    shape.push("a");
    params.assigneeId = assignee;
  }
  const statuses = query.status ?? [];
  if (statuses.length > 0) shape.push(`s${statuses.length}`);
  statuses.forEach((status, index) => {
    params[`s${index}`] = status;
  });
  const optional: [keyof TaskListQuery, string | number | undefined][] = [
    ["projectId", query.projectId],
    ["label", query.label],
    ["dueBefore", query.dueBefore?.getTime()],
    ["dueAfter", query.dueAfter?.getTime()],
  ];
  for (const [name, value] of optional) {
    if (value === undefined) continue;
    shape.push(name);
    params[name] = value;
  }
  if (query.overdue !== undefined) {
    shape.push(query.overdue === "true" ? "late" : "onTime");
    params.now = now.getTime();
  }
  const match = query.q ? titleMatch(query.q) : null;
  if (match) {
    shape.push("q");
    params.q = match;
  }
  const after = cursorId(query.cursor);
  if (after) {
    shape.push("c");
    params.cursor = after;
  }
  return { shape, params, statusCount: statuses.length };
}

/** The WHERE of a filter shape, with placeholders; values come with each request. */
function conditionsFor(shape: string[], statusCount: number): (SQL | undefined)[] {
  const has = (name: string) => shape.includes(name);
  const statusPlaceholders = Array.from({ length: statusCount }, (_, index) => ph(`s${index}`));
  return [
    eq(tasks.orgId, ph("orgId")),
    has("a0") ? isNull(tasks.assigneeId) : undefined,
    has("a") ? eq(tasks.assigneeId, ph("assigneeId")) : undefined,
    statusCount === 1 ? eq(tasks.status, ph("s0")) : undefined,
    statusCount > 1 ? inArray(tasks.status, statusPlaceholders) : undefined,
    has("projectId") ? eq(tasks.projectId, ph("projectId")) : undefined,
    has("label")
      ? sql`exists (select 1 from json_each(${tasks.labels}) where json_each.value = ${ph("label")})`
      : undefined,
    has("dueBefore") ? lte(tasks.dueAt, ph("dueBefore")) : undefined,
    has("dueAfter") ? gte(tasks.dueAt, ph("dueAfter")) : undefined,
    has("late") ? and(lt(tasks.dueAt, ph("now")), ne(tasks.status, "done")) : undefined,
    has("onTime") ? or(isNull(tasks.dueAt), gte(tasks.dueAt, ph("now")), eq(tasks.status, "done")) : undefined,
    has("q")
      ? sql`${tasks.id} in (select search_docs.ref_id from search_index join search_docs on search_docs.rowid = search_index.rowid where search_index match ${ph("q")} and search_docs.org_id = ${ph("orgId")} and search_docs.kind = 'task')`
      : undefined,
    has("c") ? lt(tasks.id, ph("cursor")) : undefined,
  ];
}

/**
 * An FTS5 query for words at the start of words of the title: each word of the text quoted (so
 * that FTS syntax in it is plain text) with a prefix star. null when nothing searchable is left.
 */
export function titleMatch(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((word) => word.replace(/"/g, "").trim())
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return null;
  return `title : (${words.map((word) => `"${word}"*`).join(" ")})`;
}

const OPEN: TaskStatus[] = ["todo", "in_progress", "blocked", "review"];

/** "My work": the caller's open tasks (not done), soonest due first, at most `limit`. */
export function listMyOpenTasks(ctx: Pick<ServiceContext, "db" | "orgId" | "userId">, limit = 300): Task[] {
  return ctx.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.orgId, ctx.orgId), eq(tasks.assigneeId, ctx.userId), inArray(tasks.status, OPEN)))
    .orderBy(sql`${tasks.dueAt} is null`, tasks.dueAt, desc(tasks.id))
    .limit(limit)
    .all();
}

/** How many of a column's newest tasks the board orders by hand (the rest are in the list). */
export const BOARD_WINDOW = 200;
/** A project's board reads the project's newest tasks once and splits them by status. */
export const PROJECT_WINDOW = 1000;

/** Board order: by position, then newest first. */
function byBoardOrder(a: Task, b: Task): number {
  return a.position - b.position || (a.id < b.id ? 1 : -1);
}

/**
 * The board's columns: each column's newest tasks (an indexed read per status), in board order.
 * With a project, one read of the project's newest tasks, split by status: a status the project
 * rarely uses never makes the read walk all of the project's tasks.
 */
export function boardColumns(db: Queryable, orgId: string, projectId?: string): Record<TaskStatus, Task[]> {
  const columns = {} as Record<TaskStatus, Task[]>;
  if (projectId) {
    const rows = db
      .select()
      .from(tasks)
      .where(and(eq(tasks.orgId, orgId), eq(tasks.projectId, projectId)))
      .orderBy(desc(tasks.id))
      .limit(PROJECT_WINDOW)
      .all();
    for (const status of taskStatuses) {
      columns[status] = rows
        .filter((task) => task.status === status)
        .slice(0, BOARD_WINDOW)
        .sort(byBoardOrder);
    }
    return columns;
  }
  for (const status of taskStatuses) {
    columns[status] = db
      .select()
      .from(tasks)
      .where(and(eq(tasks.orgId, orgId), eq(tasks.status, status)))
      .orderBy(desc(tasks.id))
      .limit(BOARD_WINDOW)
      .all()
      .sort(byBoardOrder);
  }
  return columns;
}

/** One board column as boardColumns shows it, without the card being moved (`exceptId`). */
export function boardColumn(
  db: Queryable,
  orgId: string,
  status: TaskStatus,
  projectId?: string,
  exceptId?: string,
): Task[] {
  if (projectId) return boardColumns(db, orgId, projectId)[status].filter((task) => task.id !== exceptId);
  return db
    .select()
    .from(tasks)
    .where(and(eq(tasks.orgId, orgId), eq(tasks.status, status), exceptId ? ne(tasks.id, exceptId) : undefined))
    .orderBy(desc(tasks.id))
    .limit(BOARD_WINDOW)
    .all()
    .sort(byBoardOrder);
}
