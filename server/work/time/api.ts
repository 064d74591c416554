import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { timeEntriesApi } from "./entries-api.ts";
import { timersApi } from "./timers-api.ts";
import { timesheetsApi } from "./timesheets-api.ts";

/** /time-entries, /timers, /timesheets. */
export const timeApi = new Hono<AppEnv>().route("/", timeEntriesApi).route("/", timersApi).route("/", timesheetsApi);
