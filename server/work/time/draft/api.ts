import { type Context, Hono } from "hono";
import { apiDoc } from "../../../http/api-doc.ts";
import type { AppEnv } from "../../../http/env.ts";
import { requirePermission, serviceContext } from "../../../http/guards.ts";
import { validate } from "../../../http/validate.ts";
import { timeEntryJson } from "../entry-json.ts";
import {
  acceptDraftInput,
  acceptedJsonSchema,
  discardDraftInput,
  discardedJsonSchema,
  draftJsonSchema,
  draftQuery,
} from "./schemas.ts";
import { acceptSuggestions, type DraftDeps, discardSuggestions, draftWeek } from "./service.ts";

const tags = ["Time"];

/** What drafting needs of the process: the keyring (the GitHub token) and GitHub's API URL. */
export const draftDeps = (c: Context<AppEnv>): DraftDeps => ({
  keyring: c.var.deps.keyring,
  githubApiUrl: c.var.deps.config.githubApiUrl,
});

/** /timesheets/draft: the caller's own week drafted from their work; accepted suggestions become time entries. */
export const timesheetDraftApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Suggested time entries for your week, each with its evidence (nothing is logged until you accept)",
      tags,
      responses: { 200: { description: "The draft", schema: draftJsonSchema } },
    }),
    validate("query", draftQuery),
    async (c) => c.json(await draftWeek(serviceContext(c), c.req.valid("query").week, draftDeps(c))),
  )
  .post(
    "/accept",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Log chosen suggestions of your draft (minutes and notes may be changed) as time entries",
      tags,
      responses: { 201: { description: "The time entries written", schema: acceptedJsonSchema } },
    }),
    validate("json", acceptDraftInput),
    async (c) => {
      const ctx = serviceContext(c);
      const input = c.req.valid("json");
      const entries = acceptSuggestions(ctx, await draftWeek(ctx, input.week, draftDeps(c)), input);
      return c.json({ data: entries.map(timeEntryJson) }, 201);
    },
  )
  .post(
    "/discard",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Discard suggestions of your draft: they are not suggested again that week",
      tags,
      responses: { 200: { description: "How many were discarded", schema: discardedJsonSchema } },
    }),
    validate("json", discardDraftInput),
    (c) => c.json({ discarded: discardSuggestions(serviceContext(c), c.req.valid("json")) }),
  );
