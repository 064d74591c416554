/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ScheduleFormPage, type ScheduleFormValues } from "../../../../views/pages/work/reports/schedule-form.tsx";
import { SchedulesPage } from "../../../../views/pages/work/reports/schedules-page.tsx";
import { renderPage } from "../../../console/render.tsx";
import { redirectTo } from "../../../http/console-forms.ts";
import type { AppEnv } from "../../../http/env.ts";
import { requirePermission, serviceContext } from "../../../http/guards.ts";
import { type FormSpec, type PostedForm, validateForm } from "../../../http/validate-form.ts";
import { newScheduleValues, scheduleFormProps, schedulesPageProps, scheduleValuesOf } from "./console-props.ts";
import { reportScheduleInput } from "./schemas.ts";
import {
  createReportSchedule,
  deleteReportSchedule,
  listReportSchedules,
  reportScheduleOrNotFound,
  requestReportSend,
  updateReportSchedule,
} from "./service.ts";

const notices: Record<string, string> = {
  saved: "Saved. It is sent at its next slot.",
  deleted: "Deleted.",
  sending: "Sending now in the background: its progress is on Jobs, and each person gets it in a minute or two.",
};

const number = (text: string) => (text.trim() === "" ? null : Number(text));

function valuesOf(form: PostedForm): ScheduleFormValues {
  return {
    name: form.text("name"),
    report: form.text("report"),
    period: form.text("period"),
    weeks: form.text("weeks"),
    frequency: form.text("frequency"),
    weekday: form.text("weekday"),
    monthDay: form.text("monthDay"),
    hour: form.text("hour"),
    recipientIds: form.list("recipientIds"),
    formats: form.list("formats"),
    enabled: form.has("enabled"),
  };
}

/** The API's input: the cadence field that does not apply is left out. */
function inputOf(values: ScheduleFormValues) {
  return {
    ...values,
    weeks: number(values.weeks),
    weekday: values.frequency === "weekly" ? number(values.weekday) : null,
    monthDay: values.frequency === "monthly" ? number(values.monthDay) : null,
    hour: number(values.hour),
  };
}

function renderForm(
  c: Context<AppEnv>,
  id: string | null,
  values: ScheduleFormValues,
  errors: Record<string, string>,
  status: ContentfulStatusCode = 200,
) {
  const props = scheduleFormProps(c, serviceContext(c), id, values, errors);
  return renderPage(
    c,
    { title: id ? "Edit scheduled report" : "Schedule a report", current: "/reports" },
    <ScheduleFormPage {...props} />,
    status,
  );
}

const formOf = (id: (c: Context<AppEnv>) => string | null): FormSpec<ScheduleFormValues> => ({
  values: valuesOf,
  input: inputOf,
  invalid: (c, values, refusal) => renderForm(c, id(c), values, refusal.errors, refusal.status),
});
const createForm = formOf(() => null);
const editForm = formOf((c) => c.req.param("id") ?? null);

/** /reports/schedules: the scheduled reports of the organisation, their form, Send now and delete. */
export const reportSchedulesConsole = new Hono<AppEnv>()
  .get("/", requirePermission("reports.manage"), (c) => {
    const ctx = serviceContext(c);
    const props = schedulesPageProps(c, ctx, listReportSchedules(ctx), notices[c.req.query("done") ?? ""] ?? null);
    return renderPage(c, { title: "Scheduled reports", current: "/reports" }, <SchedulesPage {...props} />);
  })
  .get("/new", requirePermission("reports.manage"), (c) =>
    renderForm(c, null, newScheduleValues(c.req.query("report")), {}),
  )
  .post("/", requirePermission("reports.manage"), validateForm(reportScheduleInput, createForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      createReportSchedule(serviceContext(c), input);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/reports/schedules?done=saved");
  })
  .get("/:id/edit", requirePermission("reports.manage"), (c) => {
    const schedule = reportScheduleOrNotFound(serviceContext(c), c.req.param("id"));
    return renderForm(c, schedule.id, scheduleValuesOf(schedule), {});
  })
  .post("/:id", requirePermission("reports.manage"), validateForm(reportScheduleInput, editForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      updateReportSchedule(serviceContext(c), c.req.param("id"), input, undefined);
    } catch (error) {
      return refused(error);
    }
    return redirectTo(c, "/reports/schedules?done=saved");
  })
  .post("/:id/delete", requirePermission("reports.manage"), (c) => {
    deleteReportSchedule(serviceContext(c), c.req.param("id"));
    return redirectTo(c, "/reports/schedules?done=deleted");
  })
  .post("/:id/send", requirePermission("reports.manage"), (c) => {
    requestReportSend(serviceContext(c), c.req.param("id"), c.var.deps.jobs);
    return redirectTo(c, "/reports/schedules?done=sending");
  });
