import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /search. (Being built.) */
export const searchApi = new Hono<AppEnv>();
