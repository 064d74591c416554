/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type TimerFormValues, TimerPanel } from "../../../views/partials/work/time/timer-panel.tsx";
import { nextTarget, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { todayUtc } from "../../tools/days.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { workChoicesOf, workOfChoice } from "./choices.ts";
import { timerPanelPropsOf, weekHref } from "./console-props.ts";
import { formErrorsOf } from "./entry-form.ts";
import { workLabel } from "./entry-rules.ts";
import { startTimerInput, submitTimesheetInput } from "./schemas.ts";
import { discardTimer, startTimer, stopTimer } from "./timers.ts";
import { submitTimesheet } from "./timesheets.ts";
import { dayParam, renderWeek } from "./week-render.tsx";

function done(c: Context<AppEnv>, day: string, text: string) {
  if (!isHtmxRequest(c)) return redirectTo(c, weekHref(day));
  return renderWeek(c, { day, flash: { kind: "notice", text } });
}

function refused(c: Context<AppEnv>, day: string | undefined, error: unknown) {
  if (!(error instanceof AppError) || error.code === "internal") throw error;
  return renderWeek(c, { day, flash: { kind: "error", text: error.message } }, error.status as ContentfulStatusCode);
}

type StartValues = { timer: TimerFormValues; taskId: string; next: string };

/** The start form of /time, or a task page's button (its taskId and where to go back to). */
const startForm: FormSpec<StartValues> = {
  values: (form) => {
    const taskId = form.text("taskId");
    const work = taskId ? `task:${taskId}` : form.text("work");
    return {
      timer: { work, note: form.text("note"), billable: form.text("billable") === "on" },
      taskId,
      next: form.text("next"),
    };
  },
  input: ({ timer, taskId }) => ({
    ...(taskId ? { taskId, projectId: null } : workOfChoice(timer.work)),
    note: timer.note,
    billable: timer.billable,
  }),
  fields: formErrorsOf,
  invalid: (c, { timer, next }, { errors, status }) => {
    if (next && isHtmxRequest(c)) {
      // Refused from a task's page: show the reason on /time rather than inside that page's button.
      c.header("HX-Retarget", "#main");
      c.header("HX-Reswap", "innerHTML");
      c.header("HX-Push-Url", "/time");
    }
    return renderWeek(c, { timerForm: { values: timer, errors } }, status);
  },
  refusal: (error) => {
    if (!(error instanceof AppError) || !["validation_failed", "conflict"].includes(error.code)) throw error;
    const status = error.status as ContentfulStatusCode;
    return {
      errors: error.code === "validation_failed" ? formErrorsOf(error.details) : { form: error.message },
      status,
    };
  },
};

/** Submitting a week: what is refused reads as the page's message. */
const submitForm: FormSpec<{ weekStart: string }> = {
  values: (form) => ({ weekStart: form.text("weekStart") }),
  invalid: (c, { weekStart }, { errors, status, message }) =>
    renderWeek(
      c,
      {
        day: dayParam(weekStart),
        flash: { kind: "error", text: message ?? Object.values(errors)[0] ?? "Choose a week." },
      },
      status,
    ),
  refusal: (error) => {
    if (!(error instanceof AppError) || error.code === "internal") throw error;
    const detail = error.code === "validation_failed" ? error.details[0] : undefined;
    if (detail) return { errors: {}, status: 422, message: detail.message };
    return { errors: {}, status: error.status as ContentfulStatusCode, message: error.message };
  },
};

/** The timer (start from /time or from a task's page, stop, discard) and submitting a week. */
export const timerConsole = new Hono<AppEnv>()
  .get("/timer", requirePermission("tasks.write"), (c) => {
    if (!isHtmxRequest(c)) return c.redirect("/time", 303);
    return c.html(<TimerPanel {...timerPanelPropsOf(c, workChoicesOf(serviceContext(c)))} />);
  })
  .post("/timer/start", requirePermission("tasks.write"), validateForm(startTimerInput, startForm), (c) => {
    const { input, values, refused } = c.req.valid("form");
    try {
      const ctx = serviceContext(c);
      const { timer, stoppedEntries } = startTimer(ctx, input);
      if (values.next) return redirectTo(c, nextTarget(values.next));
      const saved = stoppedEntries.reduce((sum, entry) => sum + entry.minutes, 0);
      const label = workLabel(ctx.db, timer);
      return done(
        c,
        todayUtc(),
        saved ? `Saved ${formatMinutes(saved)} of the previous timer; now timing ${label}.` : `Timing ${label}.`,
      );
    } catch (error) {
      return refused(error);
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
  .post("/submit", requirePermission("tasks.write"), validateForm(submitTimesheetInput, submitForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      submitTimesheet(serviceContext(c), input);
      return done(c, input.weekStart, "The week was submitted for approval and is locked until it is decided.");
    } catch (error) {
      return refused(error);
    }
  });
