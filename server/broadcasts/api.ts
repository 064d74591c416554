import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { broadcastJson, countsOf, recipientsOf } from "./report.ts";
import {
  broadcastJsonSchema,
  broadcastListQuery,
  broadcastPageSchema,
  broadcastWithRecipientsSchema,
  createBroadcastInput,
  previewBroadcastInput,
  previewJsonSchema,
} from "./schemas.ts";
import { broadcastOrNotFound, createBroadcast, listBroadcasts, previewBroadcast } from "./service.ts";

const tags = ["Broadcasts"];

/** /broadcasts, /broadcasts/preview, /broadcasts/{id}: messages to a team, a role or everyone, and their delivery. */
export const broadcastsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List broadcasts",
      tags,
      responses: { 200: { description: "A page, newest first, with each one's counts", schema: broadcastPageSchema } },
    }),
    requirePermission("broadcasts.send"),
    validate("query", broadcastListQuery),
    (c) => {
      const ctx = serviceContext(c);
      const page = listBroadcasts(ctx, c.req.valid("query"));
      const counts = countsOf(
        ctx.db,
        ctx.orgId,
        page.data.map((row) => row.id),
      );
      return c.json({
        data: page.data.map((row) => broadcastJson(row, counts.get(row.id))),
        nextCursor: page.nextCursor,
      });
    },
  )
  .post(
    "/preview",
    apiDoc({
      summary: "Count a broadcast's recipients before sending it",
      tags,
      responses: { 200: { description: "How many people the audience reaches now", schema: previewJsonSchema } },
    }),
    requirePermission("broadcasts.send"),
    validate("json", previewBroadcastInput),
    (c) => c.json(previewBroadcast(serviceContext(c), c.req.valid("json").audience)),
  )
  .post(
    "/",
    apiDoc({
      summary: "Send a broadcast",
      description:
        "Answers at once with status `sending`; each recipient's console notification and e-mail (as their notification choices allow) are written in the background. 422 when the audience reaches nobody.",
      tags,
      responses: { 202: { description: "The broadcast, being delivered", schema: broadcastJsonSchema } },
    }),
    requirePermission("broadcasts.send"),
    validate("json", createBroadcastInput),
    (c) => {
      const broadcast = createBroadcast(serviceContext(c), c.req.valid("json"));
      c.header("Location", `/api/v1/broadcasts/${broadcast.id}`);
      return c.json(broadcastJson(broadcast), 202);
    },
  )
  .get(
    "/:id",
    apiDoc({
      summary: "Get a broadcast with its recipients",
      tags,
      responses: {
        200: {
          description: "The broadcast, its counts and every recipient's delivery",
          schema: broadcastWithRecipientsSchema,
        },
      },
    }),
    requirePermission("broadcasts.send"),
    (c) => {
      const ctx = serviceContext(c);
      const broadcast = broadcastOrNotFound(ctx, c.req.param("id"));
      const counts = countsOf(ctx.db, ctx.orgId, [broadcast.id]).get(broadcast.id);
      return c.json({ ...broadcastJson(broadcast, counts), recipients: recipientsOf(ctx.db, broadcast) });
    },
  );
