import { Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { emailStatesOf } from "./email-state.ts";
import { kindInfo, kindsFor } from "./kinds.ts";
import { type MyPreferences, preferencesOf, setMyPreferences } from "./preferences.ts";
import {
  notificationJsonSchema,
  notificationListQuery,
  notificationPageSchema,
  preferencesInput,
  preferencesJsonSchema,
} from "./schemas.ts";
import {
  countUnread,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationJson,
} from "./service.ts";

const tags = ["Notifications"];

/** GET /notifications, marking read: always the caller's own notifications in their organisation. */
export const notificationsApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List my notifications",
      description: "Newest first, keyset-paged; `unread` is my unread count. Only the caller's own notifications.",
      tags,
      responses: { 200: { description: "A page of notifications.", schema: notificationPageSchema } },
    }),
    validate("query", notificationListQuery),
    (c) => {
      const ctx = serviceContext(c);
      const query = c.req.valid("query");
      const page = listNotifications(ctx, {
        limit: query.limit,
        cursor: query.cursor,
        unread: query.unread === "true",
      });
      const email = emailStatesOf(ctx.db, page.data);
      return c.json({
        data: page.data.map((row) => notificationJson(row, email.get(row.id))),
        nextCursor: page.nextCursor,
        unread: countUnread(ctx.db, ctx.orgId, ctx.userId),
      });
    },
  )
  .post(
    "/read-all",
    requirePermission("workspace.read"),
    apiDoc({ summary: "Mark all my notifications read", tags, responses: { 204: { description: "Done." } } }),
    (c) => {
      markAllNotificationsRead(serviceContext(c));
      return c.body(null, 204);
    },
  )
  .post(
    "/:id/read",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "Mark one of my notifications read",
      description: "Another person's or organisation's notification is a 404.",
      tags,
      responses: { 200: { description: "The notification.", schema: notificationJsonSchema } },
    }),
    (c) => {
      const ctx = serviceContext(c);
      const row = markNotificationRead(ctx, c.req.param("id"));
      return c.json(notificationJson(row, emailStatesOf(ctx.db, [row]).get(row.id)));
    },
  );

function preferencesJson(preferences: MyPreferences, permissions: Parameters<typeof kindsFor>[0]) {
  return {
    choices: preferences.choices,
    source: preferences.source,
    kinds: kindsFor(permissions).map((kind) => ({ kind, label: kindInfo[kind].label })),
  };
}

/** GET/PUT /me/notification-preferences: my own choices in my current organisation. */
export const notificationPreferencesApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "My notification preferences",
      description:
        "Per kind and channel. `source` says whether they are my own or my organisation's defaults; `kinds` lists those that can reach me.",
      tags,
      responses: { 200: { description: "My preferences.", schema: preferencesJsonSchema } },
    }),
    (c) => {
      const ctx = serviceContext(c);
      return c.json(preferencesJson(preferencesOf(ctx.db, ctx.orgId, ctx.userId), ctx.permissions));
    },
  )
  .put(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "Change my notification preferences",
      description:
        "Kinds and channels left out keep their setting; `useOrganizationDefaults: true` forgets my choices.",
      tags,
      responses: { 200: { description: "My preferences now.", schema: preferencesJsonSchema } },
    }),
    validate("json", preferencesInput),
    (c) => {
      const ctx = serviceContext(c);
      return c.json(preferencesJson(setMyPreferences(ctx, c.req.valid("json")), ctx.permissions));
    },
  );
