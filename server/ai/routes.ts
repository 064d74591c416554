import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { aiModelsApi } from "./api.ts";
import { aiSettingsConsole } from "./console.tsx";

/** The AI runtime's JSON API (models, status), mounted at /api/v1. */
export const aiApi = new Hono<AppEnv>().route("/", aiModelsApi);

/** Settings → AI. */
export const aiConsole = new Hono<AppEnv>().route("/", aiSettingsConsole);
