/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { EntryEditRow } from "../../../views/partials/work/time/entry-rows.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { type AppError, notFound } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { weekStartOf } from "../../tools/days.ts";
import { formatMinutes } from "../../tools/durations.ts";
import { entryEditRowProps, valuesOf, weekHref } from "./console-props.ts";
import { createTimeEntry, deleteTimeEntry, timeEntryOrNotFound, updateTimeEntry } from "./entries.ts";
import {
  type EntryFormValues,
  entryDurationErrors,
  entryFormValues,
  entryInputOf,
  entryRefusal,
  formErrorsOf,
  isRefusal,
} from "./entry-form.ts";
import { workLabel } from "./entry-rules.ts";
import { createTimeEntryInput } from "./schemas.ts";
import { weekSummaryOf } from "./week.ts";
import { dayParam, renderWeek } from "./week-render.tsx";

/** After a change: htmx gets the week again (with a notice), a plain form a redirect to it. */
function doneWith(c: Context<AppEnv>, day: string, text: string) {
  if (!isHtmxRequest(c)) return redirectTo(c, weekHref(weekStartOf(day)));
  return renderWeek(c, { day, flash: { kind: "notice", text } });
}

/** The add form, with the week it was posted from (the page shows that week again when refused). */
const newEntryForm: FormSpec<{ entry: EntryFormValues; day: string | undefined }> = {
  values: (form) => {
    const entry = entryFormValues(form);
    return { entry, day: dayParam(form.text("week")) ?? dayParam(entry.date) };
  },
  input: ({ entry }) => entryInputOf(entry),
  check: ({ entry }) => entryDurationErrors(entry),
  fields: formErrorsOf,
  // A locked week shows no form: its refusal reads as the page's message instead.
  invalid: (c, { entry, day }, { errors, status, message }) =>
    message
      ? renderWeek(c, { day, add: { values: entry, errors: {} }, flash: { kind: "error", text: message } }, status)
      : renderWeek(c, { day, add: { values: entry, errors } }, status),
  refusal: entryRefusal,
};

const editEntryForm: FormSpec<EntryFormValues> = {
  values: entryFormValues,
  input: entryInputOf,
  check: entryDurationErrors,
  fields: formErrorsOf,
  invalid: (c, values, { errors, status }) => {
    const entry = timeEntryOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    return renderWeek(c, { day: entry.date, userId: entry.userId, editing: { id: entry.id, values, errors } }, status);
  },
  refusal: entryRefusal,
};

/** /time: the person's week, with entries added, edited and deleted in place. */
export const weekConsole = new Hono<AppEnv>()
  .get("/", requirePermission("tasks.write"), (c) => {
    const editId = c.req.query("edit");
    const state = { day: dayParam(c.req.query("week")), userId: c.req.query("user") || undefined };
    if (!editId) return renderWeek(c, state);
    const entry = timeEntryOrNotFound(serviceContext(c), editId);
    return renderWeek(c, {
      ...state,
      day: entry.date,
      userId: entry.userId,
      editing: { id: entry.id, values: valuesOf(entry), errors: {} },
    });
  })
  .get("/entries/:id/edit", requirePermission("tasks.write"), (c) => {
    const entry = timeEntryOrNotFound(serviceContext(c), c.req.param("id"));
    if (!isHtmxRequest(c)) return c.redirect(`/time?week=${weekStartOf(entry.date)}&edit=${entry.id}`, 303);
    const ctx = serviceContext(c);
    const week = weekSummaryOf(ctx.db, ctx.orgId, entry.userId, weekStartOf(entry.date));
    const named = week.entries.find((row) => row.id === entry.id);
    if (!named) throw notFound("time entry");
    return c.html(<EntryEditRow {...entryEditRowProps(c, entry, named, week.weekStart)} />);
  })
  .post("/entries", requirePermission("tasks.write"), validateForm(createTimeEntryInput, newEntryForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const ctx = serviceContext(c);
      const entry = createTimeEntry(ctx, input);
      return doneWith(c, entry.date, `Logged ${formatMinutes(entry.minutes)} on ${workLabel(ctx.db, entry)}.`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/entries/:id", requirePermission("tasks.write"), validateForm(createTimeEntryInput, editEntryForm), (c) => {
    const entry = timeEntryOrNotFound(serviceContext(c), c.req.param("id"));
    const { input: posted, refused } = c.req.valid("form");
    try {
      const { userId: _userId, ...input } = posted;
      const ctx = serviceContext(c);
      const saved = updateTimeEntry(ctx, entry.id, {
        ...input,
        taskId: input.taskId ?? null,
        projectId: input.taskId ? null : (input.projectId ?? null),
      });
      return doneWith(c, saved.date, `Saved ${formatMinutes(saved.minutes)} on ${workLabel(ctx.db, saved)}.`);
    } catch (error) {
      return refused(error);
    }
  })
  .post("/entries/:id/delete", requirePermission("tasks.write"), (c) => {
    const entry = timeEntryOrNotFound(serviceContext(c), c.req.param("id"));
    try {
      const ctx = serviceContext(c);
      const label = workLabel(ctx.db, entry);
      deleteTimeEntry(ctx, entry.id);
      return doneWith(c, entry.date, `Deleted ${formatMinutes(entry.minutes)} on ${label}.`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      return renderWeek(c, { day: entry.date, flash: { kind: "error", text: error.message } }, status(error));
    }
  });

function status(error: AppError): ContentfulStatusCode {
  return error.status as ContentfulStatusCode;
}
