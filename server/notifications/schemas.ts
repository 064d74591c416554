import { z } from "zod";
import { notificationKinds } from "../../models/notifications.ts";
import { pageQuery } from "../http/cursor.ts";
import { notificationEmailStates } from "./email-state.ts";

const channelChoice = z
  .object({ console: z.boolean().optional(), email: z.boolean().optional() })
  .strict()
  .meta({ description: "On (true) or off (false) per channel; a channel left out keeps its setting." });

/** Kind → channel → on/off; kinds left out keep their setting. */
export const notificationChoicesInput = z
  .object(Object.fromEntries(notificationKinds.map((kind) => [kind, channelChoice.optional()])))
  .strict();

export const preferencesInput = z
  .object({
    choices: notificationChoicesInput.optional(),
    /** true: forget my choices and follow the organisation's defaults again. */
    useOrganizationDefaults: z.boolean().optional(),
  })
  .strict();
export type PreferencesInput = z.infer<typeof preferencesInput>;

export const notificationListQuery = pageQuery.extend({
  unread: z.enum(["true", "false"]).optional().meta({ description: "true: only unread notifications." }),
});
export type NotificationListQuery = z.infer<typeof notificationListQuery>;

const choiceJson = z.object({ console: z.boolean(), email: z.boolean() });

export const preferencesJsonSchema = z.object({
  choices: z.object(Object.fromEntries(notificationKinds.map((kind) => [kind, choiceJson]))),
  source: z.enum(["personal", "organization"]),
  kinds: z.array(z.object({ kind: z.enum(notificationKinds), label: z.string() })),
});

export const notificationJsonSchema = z.object({
  id: z.string(),
  kind: z.enum(notificationKinds),
  title: z.string(),
  subject: z.object({ type: z.string(), id: z.string() }),
  link: z.string(),
  actorId: z.string().nullable(),
  read: z.boolean(),
  readAt: z.string().nullable(),
  createdAt: z.string(),
  email: z
    .enum(notificationEmailStates)
    .describe(
      "Its e-mail: `none` (not by e-mail), `waiting` (not sent yet), `sent`, or `not_delivered` (failed for good, bounced, suppressed or cancelled in the outbox).",
    ),
});

export const notificationPageSchema = z.object({
  data: z.array(notificationJsonSchema),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});
