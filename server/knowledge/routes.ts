import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { documentsApi } from "./api.ts";
import { assistantApi } from "./assistant/api.ts";
import { assistantConsole } from "./assistant/console.tsx";
import { documentsConsole } from "./console.tsx";
import { invoiceReadingApi } from "./invoice-reading/api.ts";

/** The knowledge base's and the assistant's JSON API (documents, conversations), mounted at /api/v1. */
export const knowledgeApi = new Hono<AppEnv>()
  .route("/", assistantApi)
  .route("/", documentsApi)
  .route("/", invoiceReadingApi);

/** Documents, document search and the Ask page. */
export const knowledgeConsole = new Hono<AppEnv>().route("/", assistantConsole).route("/", documentsConsole);
