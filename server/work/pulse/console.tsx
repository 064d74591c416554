/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** the Pulse at / and its live feed. (Being built.) */
export const pulseConsole = new Hono<AppEnv>();
