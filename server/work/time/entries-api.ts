import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { todayUtc } from "../../tools/days.ts";
import { createTimeEntry, deleteTimeEntry, timeEntryOrNotFound, updateTimeEntry } from "./entries.ts";
import { exportTimeEntriesCsv } from "./entries-csv.ts";
import { timeEntryEtag, timeEntryJson } from "./entry-json.ts";
import { listTimeEntries } from "./entry-list.ts";
import { timeEntryJsonSchema, timeEntryPageSchema, totalsJsonSchema } from "./json-schemas.ts";
import {
  createTimeEntryInput,
  timeEntryCsvQuery,
  timeEntryListQuery,
  timeTotalsQuery,
  updateTimeEntryInput,
} from "./schemas.ts";
import { timeTotals } from "./totals.ts";

const tags = ["Time"];

/** /time-entries: own time with tasks.write; others' (as a list filter, a row, a total) with timesheets.approve over them. */
export const timeEntriesApi = new Hono<AppEnv>()
  .get(
    "/time-entries",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "List time entries (your own by default; userId=all for everyone you approve)",
      tags,
      responses: { 200: { description: "A page of entries, newest day first", schema: timeEntryPageSchema } },
    }),
    validate("query", timeEntryListQuery),
    (c) => {
      const page = listTimeEntries(serviceContext(c), c.req.valid("query"));
      return c.json({ data: page.data.map(timeEntryJson), nextCursor: page.nextCursor });
    },
  )
  .get(
    "/time-entries.csv",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Export time entries as CSV (same filters as the list)",
      tags,
      responses: { 200: { description: "CSV, one entry per line", contentType: "text/csv" } },
    }),
    validate("query", timeEntryCsvQuery),
    (c) => {
      const stream = exportTimeEntriesCsv(serviceContext(c), c.req.valid("query"));
      return c.body(stream, 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="time-entries-${todayUtc()}.csv"`,
        "Cache-Control": "no-store",
      });
    },
  )
  .get(
    "/time-entries/totals",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Minutes and billable minutes per project, person or task over a date range",
      tags,
      responses: { 200: { description: "Totals per group", schema: totalsJsonSchema } },
    }),
    validate("query", timeTotalsQuery),
    (c) => c.json(timeTotals(serviceContext(c), c.req.valid("query"))),
  )
  .post(
    "/time-entries",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Log time",
      tags,
      responses: { 201: { description: "The entry", schema: timeEntryJsonSchema } },
    }),
    validate("json", createTimeEntryInput),
    (c) => {
      const entry = createTimeEntry(serviceContext(c), c.req.valid("json"));
      c.header("ETag", timeEntryEtag(entry));
      c.header("Location", `/api/v1/time-entries/${entry.id}`);
      return c.json(timeEntryJson(entry), 201);
    },
  )
  .get(
    "/time-entries/:id",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Read a time entry",
      tags,
      responses: { 200: { description: "The entry", schema: timeEntryJsonSchema } },
    }),
    (c) => {
      const entry = timeEntryOrNotFound(serviceContext(c), c.req.param("id"));
      return jsonWithEtag(c, timeEntryEtag(entry), timeEntryJson(entry));
    },
  )
  .patch(
    "/time-entries/:id",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Change a time entry (not once billed, nor in a locked week)",
      tags,
      responses: { 200: { description: "The entry", schema: timeEntryJsonSchema } },
    }),
    validate("json", updateTimeEntryInput),
    (c) => {
      const entry = updateTimeEntry(
        serviceContext(c),
        c.req.param("id"),
        c.req.valid("json"),
        c.req.header("If-Match"),
      );
      c.header("ETag", timeEntryEtag(entry));
      return c.json(timeEntryJson(entry));
    },
  )
  .delete(
    "/time-entries/:id",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Delete a time entry (not once billed, nor in a locked week)",
      tags,
      responses: { 204: { description: "Deleted" } },
    }),
    (c) => {
      deleteTimeEntry(serviceContext(c), c.req.param("id"), c.req.header("If-Match"));
      return c.body(null, 204);
    },
  );
