/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** /time pages. (Being built.) */
export const timeConsole = new Hono<AppEnv>();
