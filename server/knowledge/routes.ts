import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";

/** The knowledge base's and the assistant's JSON API (documents, conversations), mounted at /api/v1. */
export const knowledgeApi = new Hono<AppEnv>();

/** Documents, document search and the Ask page. */
export const knowledgeConsole = new Hono<AppEnv>();
