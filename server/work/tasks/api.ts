import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /tasks, /tasks/{id}/comments, /tasks/{id}/history. (Being built.) */
export const tasksApi = new Hono<AppEnv>();
