import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** API of API keys: /api-keys. */
export const apiKeysApi = new Hono<AppEnv>();
