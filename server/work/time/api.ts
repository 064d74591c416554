import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /time-entries, /timers, /timesheets. (Being built.) */
export const timeApi = new Hono<AppEnv>();
