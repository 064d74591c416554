import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** /events (server-sent events). (Being built.) */
export const eventsApi = new Hono<AppEnv>();
