import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { changeTimeZone, findTimeZone, timeZoneInput, timeZoneJson } from "./time-zone.ts";

const tags = ["Organisation"];
const one = { 200: { description: "The organisation's time zone", schema: timeZoneJson } };

/** /api/v1/organization/time-zone: where the organisation's agents read their local hours. */
export const timeZoneApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({ summary: "Get the organisation's time zone (UTC until set)", tags, responses: one }),
    requirePermission("workspace.read"),
    (c) => c.json(findTimeZone(serviceContext(c))),
  )
  .put(
    "/",
    apiDoc({
      summary: "Set the organisation's time zone",
      description:
        "An IANA name such as `Europe/Berlin` or `UTC`. Agents that act at a local hour (the daily digest) follow it.",
      tags,
      responses: one,
    }),
    requirePermission("settings.manage"),
    validate("json", timeZoneInput),
    (c) => c.json(changeTimeZone(serviceContext(c), c.req.valid("json").timeZone)),
  );
