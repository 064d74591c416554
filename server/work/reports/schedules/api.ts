import { type Context, Hono } from "hono";
import type { ReportSchedule } from "../../../../models/report-schedules.ts";
import { apiDoc } from "../../../http/api-doc.ts";
import { pageOfAll } from "../../../http/cursor.ts";
import type { AppEnv } from "../../../http/env.ts";
import { etagOf, jsonWithEtag } from "../../../http/etag.ts";
import { requirePermission, serviceContext } from "../../../http/guards.ts";
import { validate } from "../../../http/validate.ts";
import { organizationTimeZone } from "../../../organization-time-zone.ts";
import { reportScheduleJsonOf } from "./json.ts";
import {
  reportScheduleChange,
  reportScheduleInput,
  reportScheduleJson,
  reportScheduleListQuery,
  reportSchedulePage,
  reportSendJson,
} from "./schemas.ts";
import {
  createReportSchedule,
  deleteReportSchedule,
  listReportSchedules,
  reportScheduleOrNotFound,
  requestReportSend,
  updateReportSchedule,
} from "./service.ts";

const tags = ["Reports"];
const one = (description: string) => ({ description, schema: reportScheduleJson });

/** The schedule as the API shows it, built once for both the body and its ETag. */
function scheduleJson(c: Context<AppEnv>, schedule: ReportSchedule) {
  const ctx = serviceContext(c);
  return reportScheduleJsonOf(schedule, organizationTimeZone(ctx.db, ctx.orgId), new Date());
}

function respond(c: Context<AppEnv>, schedule: ReportSchedule, status: 200 | 201 = 200) {
  const body = scheduleJson(c, schedule);
  c.header("ETag", etagOf(body));
  return c.json(body, status);
}

/** /report-schedules: reports e-mailed as CSV and PDF to chosen members on a local hour each week or month. */
export const reportSchedulesApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List report schedules",
      tags,
      responses: { 200: { description: "A page, by name", schema: reportSchedulePage } },
    }),
    requirePermission("reports.manage"),
    validate("query", reportScheduleListQuery),
    (c) => {
      const ctx = serviceContext(c);
      const now = new Date();
      const timeZone = organizationTimeZone(ctx.db, ctx.orgId);
      const page = pageOfAll(listReportSchedules(ctx), c.req.valid("query"));
      return c.json({
        data: page.data.map((schedule) => reportScheduleJsonOf(schedule, timeZone, now)),
        nextCursor: page.nextCursor,
      });
    },
  )
  .post(
    "/",
    apiDoc({
      summary: "Schedule a report",
      description:
        "The hour is local to the organisation's time zone. Each recipient must be a member allowed to see the report on the Reports page (422 on `recipientIds` otherwise); at each send, each gets the report as their own permissions show it. The first send is the next slot, never one already past.",
      tags,
      responses: { 201: one("The schedule") },
    }),
    requirePermission("reports.manage"),
    validate("json", reportScheduleInput),
    (c) => {
      const schedule = createReportSchedule(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/report-schedules/${schedule.id}`);
      return respond(c, schedule, 201);
    },
  )
  .get(
    "/:id",
    apiDoc({ summary: "Get a report schedule", tags, responses: { 200: one("The schedule") } }),
    requirePermission("reports.manage"),
    (c) => {
      const body = scheduleJson(c, reportScheduleOrNotFound(serviceContext(c), c.req.param("id")));
      return jsonWithEtag(c, etagOf(body), body);
    },
  )
  .patch(
    "/:id",
    apiDoc({
      summary: "Change a report schedule",
      description: "Honours `If-Match` (412 when it changed since). A changed hour or day starts from the next slot.",
      tags,
      responses: { 200: one("The changed schedule") },
    }),
    requirePermission("reports.manage"),
    validate("json", reportScheduleChange),
    (c) =>
      respond(
        c,
        updateReportSchedule(serviceContext(c), c.req.param("id"), c.req.valid("json"), c.req.header("If-Match")),
      ),
  )
  .delete(
    "/:id",
    apiDoc({ summary: "Delete a report schedule", tags, responses: { 204: { description: "Deleted" } } }),
    requirePermission("reports.manage"),
    (c) => {
      deleteReportSchedule(serviceContext(c), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/runs",
    apiDoc({
      summary: "Send a scheduled report now",
      description:
        "Queues a run of the `reports.scheduled` job for the organisation (202), which sends this report now in the background, with its progress on /jobs. The schedule's slots are unchanged.",
      tags,
      responses: { 202: { description: "The run that sends it", schema: reportSendJson } },
    }),
    requirePermission("reports.manage"),
    (c) => {
      const { schedule, run } = requestReportSend(serviceContext(c), c.req.param("id"), c.var.deps.jobs);
      return c.json({ scheduleId: schedule.id, runId: run.id, runStatus: run.status }, 202);
    },
  );
