import { z } from "zod";
import { type MailSuppression, suppressionReasons, suppressionSources } from "../../models/mail-suppressions.ts";
import { pageQuery } from "../http/cursor.ts";

/** `GET /mail/suppressions`: a page, optionally one address's entries. */
export const suppressionsQuery = pageQuery.extend({ address: z.string().trim().max(320).optional() });

export const suppressionIdParam = z.object({ id: z.string().min(1).max(64) });

/** An entry of the suppression list as the API shows it. */
export const suppressionJsonSchema = z.object({
  id: z.string(),
  address: z.string(),
  reason: z.enum(suppressionReasons),
  source: z.enum(suppressionSources),
  /** `organization`: this organisation's mail; `box`: the box's own (password resets), shown to the instance admin only. */
  scope: z.enum(["organization", "box"]),
  detail: z.string().nullable(),
  messageId: z.string().nullable(),
  createdAt: z.string(),
});
export const suppressionListSchema = z.object({
  data: z.array(suppressionJsonSchema),
  nextCursor: z.string().nullable(),
});

export function suppressionJson(entry: MailSuppression): z.infer<typeof suppressionJsonSchema> {
  return {
    id: entry.id,
    address: entry.address,
    reason: entry.reason,
    source: entry.source,
    scope: entry.orgId ? "organization" : "box",
    detail: entry.detail,
    messageId: entry.messageId,
    createdAt: entry.createdAt.toISOString(),
  };
}
