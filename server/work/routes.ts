import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { approvalsApi } from "./approvals/api.ts";
import { approvalsConsole } from "./approvals/console.tsx";
import { equipmentApi } from "./equipment/api.ts";
import { equipmentConsole } from "./equipment/console.tsx";
import { invoicesApi } from "./invoices/api.ts";
import { invoicesConsole } from "./invoices/console.tsx";
import { projectsApi } from "./projects/api.ts";
import { projectsConsole } from "./projects/console.tsx";
import { pulseConsole } from "./pulse/console.tsx";
import { reportsApi } from "./reports/api.ts";
import { reportsConsole } from "./reports/console.tsx";
import { searchApi } from "./search/api.ts";
import { searchConsole } from "./search/console.tsx";
import { tasksApi } from "./tasks/api.ts";
import { tasksConsole } from "./tasks/console.tsx";
import { teamsApi } from "./teams/api.ts";
import { teamsConsole } from "./teams/console.tsx";
import { timeApi } from "./time/api.ts";
import { timeConsole } from "./time/console.tsx";

/** The operations workspace's JSON API, mounted at /api/v1. */
export const workApi = new Hono<AppEnv>()
  .route("/", projectsApi)
  .route("/", teamsApi)
  .route("/", tasksApi)
  .route("/", approvalsApi)
  .route("/", invoicesApi)
  .route("/", timeApi)
  .route("/", equipmentApi)
  .route("/", searchApi)
  .route("/", reportsApi);

/** The operations workspace's console pages. */
export const workConsole = new Hono<AppEnv>()
  .route("/", pulseConsole)
  .route("/", projectsConsole)
  .route("/", teamsConsole)
  .route("/", tasksConsole)
  .route("/", approvalsConsole)
  .route("/", invoicesConsole)
  .route("/", timeConsole)
  .route("/", equipmentConsole)
  .route("/", searchConsole)
  .route("/", reportsConsole);
