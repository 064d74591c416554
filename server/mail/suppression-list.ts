import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import { type MailSuppression, mailSuppressions } from "../../models/mail-suppressions.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { notFound } from "../http/errors.ts";

/**
 * Whose entries a reader sees: their organisation's; box-wide ones (from the box's own mail,
 * sent to people of any organisation) only for the instance admin.
 */
export type SuppressionReader = { orgId: string; boxWide: boolean };

function scopeOf(reader: SuppressionReader) {
  const own = eq(mailSuppressions.orgId, reader.orgId);
  return reader.boxWide ? or(own, isNull(mailSuppressions.orgId)) : own;
}

/** The newest entries the reader may see, optionally only one address's, before an id (newest first). */
export function listSuppressions(
  ctx: ServiceContext,
  reader: SuppressionReader,
  limit: number,
  filter: { address?: string; beforeId?: string } = {},
): MailSuppression[] {
  return ctx.db
    .select()
    .from(mailSuppressions)
    .where(
      and(
        scopeOf(reader),
        filter.address ? eq(mailSuppressions.address, filter.address.trim().toLowerCase()) : undefined,
        filter.beforeId ? lt(mailSuppressions.id, filter.beforeId) : undefined,
      ),
    )
    .orderBy(desc(mailSuppressions.id))
    .limit(limit)
    .all();
}

/** The entry if the reader may see it; else 404 (another organisation's entry included). */
export function suppressionOrNotFound(ctx: ServiceContext, reader: SuppressionReader, id: string): MailSuppression {
  const entry = ctx.db
    .select()
    .from(mailSuppressions)
    .where(and(eq(mailSuppressions.id, id), scopeOf(reader)))
    .get();
  if (!entry) throw notFound("suppression");
  return entry;
}

/** Takes an address off the list (mail to it is sent again), audited with what it was. */
export function removeSuppression(ctx: ServiceContext, reader: SuppressionReader, id: string): MailSuppression {
  const entry = suppressionOrNotFound(ctx, reader, id);
  ctx.db.transaction((tx) => {
    tx.delete(mailSuppressions).where(eq(mailSuppressions.id, id)).run();
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "mail.suppression_removed",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "mail_suppression",
      targetId: id,
      details: { address: entry.address, reason: entry.reason, boxWide: entry.orgId === null },
      meta: ctx.meta,
    });
  });
  return entry;
}
