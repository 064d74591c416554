import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** Single sign-on: provider settings (API and console) and the OAuth start/callback routes. */
export const ssoRoutes = new Hono<AppEnv>();
