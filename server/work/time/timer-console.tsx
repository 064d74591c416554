/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { TimerPanel } from "../../../views/partials/work/time/timer-panel.tsx";
import { nextTarget, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { todayUtc } from "../../tools/days.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { workChoicesOf, workOfChoice } from "./choices.ts";
import { formErrorsOf } from "./entry-form.ts";

import { workLabel } from "./entry-rules.ts";
import { startTimerInput, submitTimesheetInput } from "./schemas.ts";
import { discardTimer, startTimer, stopTimer } from "./timers.ts";
import { submitTimesheet } from "./timesheets.ts";
import { dayParam, renderWeek, timerPanelPropsOf, weekHref } from "./week-render.tsx";

function done(c: Context<AppEnv>, day: string, text: string) {
  if (!isHtmxRequest(c)) return redirectTo(c, weekHref(day));
  return renderWeek(c, { day, flash: { kind: "notice", text } });
}

function refused(c: Context<AppEnv>, day: string | undefined, error: unknown) {
  if (!(error instanceof AppError) || error.code === "internal") throw error;
  return renderWeek(c, { day, flash: { kind: "error", text: error.message } }, error.status as ContentfulStatusCode);
}

/** The timer (start from /time or from a task's page, stop, discard) and submitting a week. */
export const timerConsole = new Hono<AppEnv>()
  .get("/timer", requirePermission("tasks.write"), (c) => {
    if (!isHtmxRequest(c)) return c.redirect("/time", 303);
    return c.html(<TimerPanel {...timerPanelPropsOf(c, workChoicesOf(serviceContext(c)))} />);
  })
  .post("/timer/start", requirePermission("tasks.write"), async (c) => {
    const form = await readPostedForm(c);
    const values = { work: form.text("work"), note: form.text("note"), billable: form.text("billable") === "on" };
    // A task's page posts its taskId (and where to go back to) instead of the work select.
    const work = form.text("taskId") ? { taskId: form.text("taskId"), projectId: null } : workOfChoice(values.work);
    if (form.text("taskId")) values.work = `task:${form.text("taskId")}`;
    const parsed = startTimerInput.safeParse({ ...work, note: values.note, billable: values.billable });
    const issues = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ""), message: issue.message }));
    try {
      if (!parsed.success) throw new AppError("validation_failed", "The request is not valid.", issues);
      const ctx = serviceContext(c);
      const { timer, stoppedEntries } = startTimer(ctx, parsed.data);
      if (form.text("next")) return redirectTo(c, nextTarget(form.text("next")));
      const saved = stoppedEntries.reduce((sum, entry) => sum + entry.minutes, 0);
      const label = workLabel(ctx.db, timer);
      return done(
        c,
        todayUtc(),
        saved ? `Saved ${formatMinutes(saved)} of the previous timer; now timing ${label}.` : `Timing ${label}.`,
      );
    } catch (error) {
      if (!(error instanceof AppError) || !["validation_failed", "conflict"].includes(error.code)) throw error;
      const errors = error.code === "validation_failed" ? formErrorsOf(error.details) : { form: error.message };
      if (form.text("next") && isHtmxRequest(c)) {
        // Refused from a task's page: show the reason on /time rather than inside that page's button.
        c.header("HX-Retarget", "#main");
        c.header("HX-Reswap", "innerHTML");
        c.header("HX-Push-Url", "/time");
      }
      return renderWeek(c, { timerForm: { values, errors } }, error.status as ContentfulStatusCode);
    }
  })
  .post("/timer/stop", requirePermission("tasks.write"), (c) => {
    try {
      const ctx = serviceContext(c);
      const entries = stopTimer(ctx);
      const minutes = entries.reduce((sum, entry) => sum + entry.minutes, 0);
      const first = entries[0];
      const where = first ? workLabel(ctx.db, first) : "";
      const days = entries.length > 1 ? ` over ${entries.length} days` : "";
      return done(c, entries.at(-1)?.date ?? todayUtc(), `Saved ${formatMinutes(minutes)} on ${where}${days}.`);
    } catch (error) {
      return refused(c, undefined, error);
    }
  })
  .post("/timer/discard", requirePermission("tasks.write"), (c) => {
    try {
      discardTimer(serviceContext(c));
      return done(c, todayUtc(), "The timer was discarded; no time was saved.");
    } catch (error) {
      return refused(c, undefined, error);
    }
  })
  .post("/submit", requirePermission("tasks.write"), async (c) => {
    const form = await readPostedForm(c);
    const day = dayParam(form.text("weekStart"));
    try {
      const parsed = submitTimesheetInput.safeParse({ weekStart: form.text("weekStart") });
      if (!parsed.success) throw new AppError("validation_failed", parsed.error.issues[0]?.message ?? "Choose a week.");
      submitTimesheet(serviceContext(c), parsed.data);
      return done(c, parsed.data.weekStart, "The week was submitted for approval and is locked until it is decided.");
    } catch (error) {
      if (error instanceof AppError && error.code === "validation_failed" && error.details[0]) {
        return renderWeek(c, { day, flash: { kind: "error", text: error.details[0].message } }, 422);
      }
      return refused(c, day, error);
    }
  });
