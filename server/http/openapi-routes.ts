import { Hono } from "hono";
import type { AppEnv } from "./env.ts";

/** /api/v1/openapi.json and the reference page /api/docs. (Being built.) */
export const openApiRoutes = new Hono<AppEnv>();
