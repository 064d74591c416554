/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { raw } from "hono/html";
import { z } from "zod";
import { ReportsPage, type ReportsPageProps, weekChoices } from "../../../views/pages/work/reports/reports-page.tsx";
import { renderPage } from "../../console/render.tsx";
import { readUntilWrite } from "../../db-read-cache.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { todayUtc } from "../../tools/days.ts";
import { reportsPageProps } from "./console-props.ts";
import { respondWithReportCsv } from "./csv.ts";
import { type DayRange, reportRange } from "./range.ts";
import { hoursReportQuery, invoicesReportQuery, tasksCompletedQuery } from "./schemas.ts";
import { hoursReport, invoicesReport, tasksCompletedReport } from "./tables.ts";

const day = z.union([z.literal(""), z.iso.date("Use a date like 2030-01-31.")]).default("");
const reportsForm = z.object({
  from: day,
  to: day,
  weeks: z
    .union([z.literal(""), z.coerce.number().int()])
    .default("")
    .refine(
      (weeks) => weeks === "" || (weekChoices as readonly number[]).includes(weeks),
      "Choose one of the choices.",
    ),
});

/** /reports: every report the person may see; /reports/*.csv: each one's rows as CSV. */
export const reportsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const typed = c.req.query();
    const parsed = reportsForm.safeParse(typed);
    const filters = {
      from: (typed.from ?? "").slice(0, 10),
      to: (typed.to ?? "").slice(0, 10),
      weeks: (typed.weeks ?? "12").slice(0, 3),
    };
    if (!parsed.success) {
      const errors: ReportsPageProps["errors"] = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === "from" || field === "to" || field === "weeks") errors[field] ??= issue.message;
      }
      return render(c, { filters, errors, range: null, weeks: 12, months: [] }, 422);
    }
    let range: DayRange;
    try {
      range = reportRange({ from: parsed.data.from || undefined, to: parsed.data.to || undefined });
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
      const errors = { to: error.details[0]?.message ?? error.message };
      return render(c, { filters, errors, range: null, weeks: 12, months: [] }, 422);
    }
    const weeks = parsed.data.weeks === "" ? 12 : parsed.data.weeks;
    const ctx = serviceContext(c);
    // Drawing the charts is most of the page's time: the drawn report is kept until the next
    // write, for this person (their permissions choose the reports), range, weeks and day.
    const drawn = readUntilWrite(
      ctx.db,
      `reports.page:${ctx.orgId}:${ctx.userId}:${range.from}:${range.to}:${weeks}:${todayUtc()}`,
      () => (<ReportsPage {...reportsPageProps(ctx, range, weeks)} />).toString(),
    );
    if (typeof drawn !== "string") return render(c, reportsPageProps(ctx, range, weeks));
    return renderPage(c, page, raw(drawn));
  })
  .get("/hours.csv", requirePermission("workspace.read"), validate("query", hoursReportQuery), (c) =>
    respondWithReportCsv(c, hoursReport(serviceContext(c), c.req.valid("query"))),
  )
  .get("/invoices.csv", requirePermission("invoices.manage"), validate("query", invoicesReportQuery), (c) =>
    respondWithReportCsv(c, invoicesReport(serviceContext(c), c.req.valid("query"))),
  )
  .get("/tasks-completed.csv", requirePermission("workspace.read"), validate("query", tasksCompletedQuery), (c) =>
    respondWithReportCsv(c, tasksCompletedReport(serviceContext(c), c.req.valid("query"))),
  );

const page = { title: "Reports", current: "/reports" };

function render(c: Context<AppEnv>, props: ReportsPageProps, status: 200 | 422 = 200) {
  return renderPage(c, page, <ReportsPage {...props} />, status);
}
