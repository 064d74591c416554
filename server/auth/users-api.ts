import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** API of people and organisations: /users, /invitations, /organizations, /auth/password-reset, /roles. */
export const usersApi = new Hono<AppEnv>();
