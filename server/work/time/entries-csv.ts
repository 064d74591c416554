import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { memberships, users } from "../../../models/identity.ts";
import { timeEntries } from "../../../models/time.ts";
import { projects, tasks } from "../../../models/work.ts";
import { csvLine } from "../../audit/csv.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { orgShownName } from "../../members/directory.ts";
import { entryConditions } from "./entry-list.ts";
import type { TimeEntryFilters } from "./schemas.ts";

const PAGE_SIZE = 500;

export const timeCsvColumns = [
  "id",
  "date",
  "user_id",
  "person",
  "project_code",
  "project",
  "task_id",
  "task",
  "minutes",
  "hours",
  "billable",
  "invoiced",
  "note",
] as const;

function page(ctx: ServiceContext, where: SQL | undefined, after: { date: string; id: string } | null) {
  return ctx.db
    .select({
      id: timeEntries.id,
      date: timeEntries.date,
      userId: timeEntries.userId,
      person: orgShownName,
      projectCode: projects.code,
      project: projects.name,
      taskId: timeEntries.taskId,
      task: tasks.title,
      minutes: timeEntries.minutes,
      billable: timeEntries.billable,
      invoiceLineId: timeEntries.invoiceLineId,
      note: timeEntries.note,
    })
    .from(timeEntries)
    .innerJoin(users, eq(users.id, timeEntries.userId))
    .leftJoin(memberships, and(eq(memberships.orgId, ctx.orgId), eq(memberships.userId, timeEntries.userId)))
    .leftJoin(projects, eq(projects.id, timeEntries.projectId))
    .leftJoin(tasks, eq(tasks.id, timeEntries.taskId))
    .where(
      and(
        where,
        after
          ? or(lt(timeEntries.date, after.date), and(eq(timeEntries.date, after.date), lt(timeEntries.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(timeEntries.date), desc(timeEntries.id))
    .limit(PAGE_SIZE)
    .all();
}

/**
 * The matching entries as CSV (newest day first), a page at a time so a long export never sits
 * in memory. Cells go through csvCell: text that a spreadsheet would run as a formula is defused.
 */
export function exportTimeEntriesCsv(ctx: ServiceContext, filters: TimeEntryFilters): ReadableStream<Uint8Array> {
  // Resolved now, so a filter on someone out of reach is a 404 before the download starts.
  const where = entryConditions(ctx, filters);
  const encoder = new TextEncoder();
  let after: { date: string; id: string } | null = null;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(timeCsvColumns)));
    },
    pull(controller) {
      if (done) return;
      const rows = page(ctx, where, after);
      let text = "";
      for (const row of rows) {
        text += csvLine([
          row.id,
          row.date,
          row.userId,
          row.person,
          row.projectCode,
          row.project,
          row.taskId,
          row.task,
          row.minutes,
          (row.minutes / 60).toFixed(2),
          row.billable ? "yes" : "no",
          row.invoiceLineId ? "yes" : "no",
          row.note,
        ]);
      }
      if (text) controller.enqueue(encoder.encode(text));
      const last = rows.at(-1);
      if (rows.length < PAGE_SIZE || !last) {
        done = true;
        controller.close();
      } else {
        after = { date: last.date, id: last.id };
      }
    },
  });
}
