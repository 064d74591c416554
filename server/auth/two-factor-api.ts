import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** API of 2FA and my sessions: /auth/two-factor, /me/two-factor, /me/sessions. */
export const twoFactorApi = new Hono<AppEnv>();
