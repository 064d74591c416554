import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** Settings → API keys page. */
export const apiKeysConsole = new Hono<AppEnv>();
