/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { AppEnv } from "../../http/env.ts";
import { teamConsole } from "./team-console.tsx";
import { timerConsole } from "./timer-console.tsx";
import { weekConsole } from "./week-console.tsx";

/** /time pages: my week, the timer, the team's weeks and the totals. */
export const timeConsole = new Hono<AppEnv>().route("/", weekConsole).route("/", timerConsole).route("/", teamConsole);
