import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /projects, /projects/{id}, members. (Being built.) */
export const projectsApi = new Hono<AppEnv>();
