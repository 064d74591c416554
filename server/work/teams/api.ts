import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /teams. (Being built.) */
export const teamsApi = new Hono<AppEnv>();
