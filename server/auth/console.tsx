import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** Console pages of identity: sign in and out, 2FA challenge and enrolment, forgot/reset password, accept invitation, my profile. */
export const authConsole = new Hono<AppEnv>();
