import { type Context, Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { listSuppressions, removeSuppression, type SuppressionReader } from "./suppression-list.ts";
import {
  suppressionIdParam,
  suppressionJson,
  suppressionListSchema,
  suppressionsQuery,
} from "./suppression-schemas.ts";

const tags = ["E-mail"];

/** The organisation the caller acts for; the box's own entries for the instance admin too. */
export function suppressionReaderOf(c: Context<AppEnv>): SuppressionReader {
  return { orgId: serviceContext(c).orgId, boxWide: isInstanceAdmin(c) };
}

/** /mail/suppressions: the addresses the outbox does not write to, and taking one off (settings.manage, audited). */
export const suppressionsApi = new Hono<AppEnv>()
  .get(
    "/",
    apiDoc({
      summary: "List the suppression list",
      description:
        "Addresses that get no more mail from this organisation: `unsubscribed` (non-essential mail only), `hard_bounce` and `complaint` (all mail). Newest first; `address` filters. The instance admin also sees the box's own entries (`scope: box`).",
      tags,
      responses: { 200: { description: "A page of entries", schema: suppressionListSchema } },
    }),
    requirePermission("settings.manage"),
    validate("query", suppressionsQuery),
    (c) => {
      const query = c.req.valid("query");
      const beforeId = query.cursor ? cursorKey(query.cursor) : undefined;
      const rows = listSuppressions(serviceContext(c), suppressionReaderOf(c), query.limit + 1, {
        address: query.address,
        beforeId,
      });
      return c.json(pageOf(rows.map(suppressionJson), query.limit, (row) => [row.id]));
    },
  )
  .delete(
    "/:id",
    apiDoc({
      summary: "Remove an address from the suppression list",
      description: "Mail to the address is sent again. Another organisation's entry is 404. Audited.",
      tags,
      responses: { 204: { description: "Removed" } },
    }),
    requirePermission("settings.manage"),
    validate("param", suppressionIdParam),
    (c) => {
      removeSuppression(serviceContext(c), suppressionReaderOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );
