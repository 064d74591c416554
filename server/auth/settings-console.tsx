import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** Settings pages: users and roles, security policy; organisation switching. */
export const identitySettingsConsole = new Hono<AppEnv>();
