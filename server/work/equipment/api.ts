import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /equipment. (Being built.) */
export const equipmentApi = new Hono<AppEnv>();
