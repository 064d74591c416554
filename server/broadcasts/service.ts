import { and, desc, eq, lt } from "drizzle-orm";
import { type Broadcast, broadcastRecipients, broadcasts } from "../../models/broadcasts.ts";
import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { publishEvent } from "../events/publish.ts";
import { cursorKey, pageOf } from "../http/cursor.ts";
import { AppError, notFound } from "../http/errors.ts";
import { actorName } from "../members/directory.ts";
import { newId } from "../tools/ids.ts";
import { audienceMemberIds, resolveAudience } from "./audience.ts";
import type { AudienceInput, CreateBroadcastInput } from "./schemas.ts";
import { wakeBroadcastDelivery } from "./wake.ts";

type Reader = Pick<ServiceContext, "db" | "orgId">;

/** How many people a broadcast to `audience` would reach now, and what the audience is called. */
export function previewBroadcast(
  ctx: Pick<ServiceContext, "db" | "orgId" | "userId">,
  audience: AudienceInput,
): { recipientCount: number; audienceLabel: string } {
  const resolved = resolveAudience(ctx.db, ctx.orgId, audience);
  return {
    recipientCount: audienceMemberIds(ctx.db, ctx.orgId, resolved, ctx.userId).length,
    audienceLabel: resolved.label,
  };
}

/**
 * Records a broadcast and answers at once: its recipients' notifications and e-mails are written
 * by the delivery job (delivery.ts) in the background. An audience that reaches nobody is a 422.
 */
export function createBroadcast(ctx: ServiceContext, input: CreateBroadcastInput, now = new Date()): Broadcast {
  const created = ctx.db.transaction((tx) => {
    const audience = resolveAudience(ctx.db, ctx.orgId, input.audience);
    if (audienceMemberIds(ctx.db, ctx.orgId, audience, ctx.userId).length === 0) {
      throw new AppError("validation_failed", "The request is not valid.", [
        { path: "audience", message: "Nobody would receive this: the audience has no one but you." },
      ]);
    }
    const broadcast = tx
      .insert(broadcasts)
      .values({
        id: newId("brd", now.getTime()),
        orgId: ctx.orgId,
        senderId: ctx.userId,
        subject: input.subject,
        body: input.body,
        audienceType: audience.type,
        audienceId: audience.id,
        audienceLabel: audience.label,
        status: "sending",
        createdAt: now,
      })
      .returning()
      .get();
    publishEvent(
      tx,
      { orgId: ctx.orgId, userId: ctx.userId },
      {
        type: "broadcast.sent",
        subjectType: "broadcast",
        subjectId: broadcast.id,
        summary: `${actorName(tx, ctx)} sent “${input.subject}” to ${audienceWords(broadcast)}`,
        data: { subject: input.subject, audience: { type: audience.type, id: audience.id } },
      },
      now,
    );
    recordAudit(tx, {
      orgId: ctx.orgId,
      action: "broadcast.sent",
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      targetType: "broadcast",
      targetId: broadcast.id,
      details: { subject: input.subject, audience: { type: audience.type, id: audience.id, label: audience.label } },
      meta: ctx.meta,
    });
    return broadcast;
  });
  // After the commit: the job must find the row when it looks.
  setTimeout(wakeBroadcastDelivery, 0);
  return created;
}

/** "everyone", "the team Kitchen", "everyone who is Manager". */
export function audienceWords(broadcast: Pick<Broadcast, "audienceType" | "audienceLabel">): string {
  if (broadcast.audienceType === "team") return `the team ${broadcast.audienceLabel}`;
  if (broadcast.audienceType === "role") return `everyone who is ${broadcast.audienceLabel}`;
  return "everyone";
}

/** A broadcast of the current organisation, or null (another organisation's is null too). */
export function findBroadcastById(ctx: Reader, id: string): Broadcast | null {
  return (
    ctx.db
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.orgId, ctx.orgId), eq(broadcasts.id, id)))
      .get() ?? null
  );
}

export function broadcastOrNotFound(ctx: Reader, id: string): Broadcast {
  const found = findBroadcastById(ctx, id);
  if (!found) throw notFound("broadcast");
  return found;
}

/** A broadcast the caller received, or 404: people who do not send broadcasts see only their own. */
export function receivedBroadcastOrNotFound(
  ctx: Pick<ServiceContext, "db" | "orgId" | "userId">,
  id: string,
): Broadcast {
  const found = ctx.db
    .select({ broadcast: broadcasts })
    .from(broadcasts)
    .innerJoin(
      broadcastRecipients,
      and(eq(broadcastRecipients.broadcastId, broadcasts.id), eq(broadcastRecipients.userId, ctx.userId)),
    )
    .where(and(eq(broadcasts.orgId, ctx.orgId), eq(broadcasts.id, id)))
    .get();
  if (!found) throw notFound("broadcast");
  return found.broadcast;
}

/** The organisation's broadcasts, newest first, keyset-paged by id. */
export function listBroadcasts(
  ctx: Reader,
  query: { limit: number; cursor?: string | undefined },
): { data: Broadcast[]; nextCursor: string | null } {
  const before = query.cursor === undefined ? undefined : cursorKey(query.cursor);
  const rows = ctx.db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.orgId, ctx.orgId), before ? lt(broadcasts.id, before) : undefined))
    .orderBy(desc(broadcasts.id))
    .limit(query.limit + 1)
    .all();
  return pageOf(rows, query.limit, (row) => [row.id]);
}
