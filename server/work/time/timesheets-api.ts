import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { timesheetDetailJsonSchema, timesheetPageSchema } from "./json-schemas.ts";
import { submitTimesheetInput, timesheetListQuery } from "./schemas.ts";
import { timesheetDetailJson, timesheetEtag, timesheetJson } from "./timesheet-json.ts";
import {
  findTimesheetById,
  listTimesheets,
  reopenTimesheet,
  submitTimesheet,
  timesheetOrNotFound,
} from "./timesheets.ts";

const tags = ["Time"];

/** /timesheets: one per person and ISO week; submitted into an approval, locked once approved. */
export const timesheetsApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "List timesheets (your own by default; userId=all for everyone you approve)",
      tags,
      responses: { 200: { description: "A page of timesheets, newest week first", schema: timesheetPageSchema } },
    }),
    validate("query", timesheetListQuery),
    (c) => {
      const page = listTimesheets(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map((row) => timesheetJson(row, row)), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/submit",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Submit your week for approval (it stays locked until rejected or reopened)",
      tags,
      responses: {
        200: { description: "The timesheet, submitted again", schema: timesheetDetailJsonSchema },
        201: { description: "The timesheet, created and submitted", schema: timesheetDetailJsonSchema },
      },
    }),
    validate("json", submitTimesheetInput),
    (c) => {
      const ctx = serviceContext(c);
      const { sheet, created } = submitTimesheet(ctx, c.req.valid("json"));
      const found = findTimesheetById(ctx, sheet.id);
      if (!found) throw new AppError("internal", "The timesheet could not be read back.");
      c.header("ETag", timesheetEtag(found.sheet, found.week));
      c.header("Location", `/api/v1/timesheets/${sheet.id}`);
      return c.json(timesheetDetailJson(found.sheet, found.week), created ? 201 : 200);
    },
  )
  .get(
    "/:id",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "A timesheet with its entries and totals per day and per project",
      tags,
      responses: { 200: { description: "The timesheet", schema: timesheetDetailJsonSchema } },
    }),
    (c) => {
      const found = timesheetOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, timesheetEtag(found.sheet, found.week), timesheetDetailJson(found.sheet, found.week));
    },
  )
  .post(
    "/:id/reopen",
    requirePermission("timesheets.approve"),
    apiDoc({
      summary: "Reopen an approved or rejected week so it can be edited again",
      tags,
      responses: { 200: { description: "The timesheet, open", schema: timesheetDetailJsonSchema } },
    }),
    (c) => {
      const ctx = serviceContext(c);
      const sheet = reopenTimesheet(ctx, c.req.param("id"));
      const found = timesheetOrNotFound(ctx, sheet.id);
      c.header("ETag", timesheetEtag(found.sheet, found.week));
      return c.json(timesheetDetailJson(found.sheet, found.week));
    },
  );
