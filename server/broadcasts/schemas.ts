import { z } from "zod";
import { broadcastStatuses } from "../../models/broadcasts.ts";
import { pageQuery } from "../http/cursor.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

export const audienceInput = z.discriminatedUnion("type", [
  z.object({ type: z.literal("organization") }).describe("Everyone in the organisation."),
  z.object({ type: z.literal("team"), teamId: z.string().trim().min(1, "Choose a team.").max(64) }),
  z
    .object({ type: z.literal("role"), role: z.string().trim().min(1, "Choose a role.").max(64) })
    .describe("Everyone holding the role: a built-in name (`manager`) or a custom role's id (`rol_…`)."),
]);
export type AudienceInput = z.infer<typeof audienceInput>;

export const broadcastSubject = z.string().trim().min(1, "Enter a subject.").max(200, "Use at most 200 characters.");
export const broadcastBody = z
  .string()
  .trim()
  .min(1, "Write the message.")
  .max(20_000, "Use at most 20,000 characters.")
  .describe("Markdown; raw HTML is shown as text.");

export const createBroadcastInput = z.object({
  subject: broadcastSubject,
  body: broadcastBody,
  audience: audienceInput,
});
export type CreateBroadcastInput = z.infer<typeof createBroadcastInput>;

export const previewBroadcastInput = z.object({ audience: audienceInput });

export const broadcastListQuery = pageQuery;

/** What an e-mail to one recipient did: the outbox's status, or why there is none. */
export const recipientEmailStatuses = [
  "queued",
  "sent",
  "failed",
  "bounced",
  "suppressed",
  "cancelled",
  "draft",
  "off",
  "gone",
] as const;
export type RecipientEmailStatus = (typeof recipientEmailStatuses)[number];

export const broadcastCountsSchema = z.object({
  recipients: z.number().int(),
  read: z.number().int().describe("Recipients who opened the console notification."),
  email: z.record(z.enum(recipientEmailStatuses), z.number().int()),
});
export type BroadcastCounts = z.infer<typeof broadcastCountsSchema>;

export const broadcastJsonSchema = z.object({
  id: z.string(),
  subject: z.string(),
  body: z.string(),
  audience: z.object({
    type: z.enum(["organization", "team", "role"]),
    id: z.string().nullable(),
    label: z.string(),
  }),
  senderId: z.string().nullable(),
  status: z.enum(broadcastStatuses),
  counts: broadcastCountsSchema,
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type BroadcastJson = z.infer<typeof broadcastJsonSchema>;

export const recipientJsonSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  emailStatus: z
    .enum(recipientEmailStatuses)
    .describe(
      "`draft`: no provider was configured (the draft log); `off`: the person switched broadcasts off by e-mail; `gone`: the message was deleted.",
    ),
  inConsole: z.boolean(),
  readAt: z.string().nullable(),
});
export type RecipientJson = z.infer<typeof recipientJsonSchema>;

export const broadcastWithRecipientsSchema = broadcastJsonSchema.extend({ recipients: z.array(recipientJsonSchema) });
export const broadcastPageSchema = z.object({ data: z.array(broadcastJsonSchema), nextCursor: z.string().nullable() });
export const previewJsonSchema = z.object({ recipientCount: z.number().int(), audienceLabel: z.string() });
