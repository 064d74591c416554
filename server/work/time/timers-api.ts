import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { timeEntryJson } from "./entry-json.ts";
import { startedTimerJsonSchema, timeEntriesSchema, timerJsonSchema } from "./json-schemas.ts";
import { startTimerInput } from "./schemas.ts";
import { discardTimer, findRunningTimer, startTimer, stopTimer, timerJson } from "./timers.ts";

const tags = ["Time"];

/** /timers: the caller's own running timer (one at a time). */
export const timersApi = new Hono<AppEnv>()
  .get(
    "/current",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Your running timer (404 when none runs)",
      tags,
      responses: { 200: { description: "The timer", schema: timerJsonSchema } },
    }),
    (c) => {
      const timer = findRunningTimer(serviceContext(c));
      if (!timer) throw new AppError("not_found", "No timer is running.");
      return c.json(timerJson(timer));
    },
  )
  .post(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Start a timer on a task or project (a running one is stopped and saved first)",
      tags,
      responses: { 201: { description: "The new timer", schema: startedTimerJsonSchema } },
    }),
    validate("json", startTimerInput),
    (c) => {
      const { timer, stoppedEntries } = startTimer(serviceContext(c), c.req.valid("json"));
      c.header("Location", "/api/v1/timers/current");
      return c.json({ ...timerJson(timer), stoppedEntries: stoppedEntries.map(timeEntryJson) }, 201);
    },
  )
  .post(
    "/current/stop",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Stop your timer: its time becomes entries (one per UTC day it ran through)",
      tags,
      responses: { 201: { description: "The entries saved", schema: timeEntriesSchema } },
    }),
    (c) => {
      const entries = stopTimer(serviceContext(c));
      return c.json({ data: entries.map(timeEntryJson) }, 201);
    },
  )
  .delete(
    "/current",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Discard your timer without saving time",
      tags,
      responses: { 204: { description: "Discarded" } },
    }),
    (c) => {
      discardTimer(serviceContext(c));
      return c.body(null, 204);
    },
  );
