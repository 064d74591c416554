/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /tasks list, board, my work, task page. (Being built.) */
export const tasksConsole = new Hono<AppEnv>();
