import type { AuditEvent } from "../../models/audit.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { csvLine } from "./csv.ts";
import { listAuditEvents, recordAudit } from "./service.ts";
import type { AuditFilters } from "./view.ts";

const PAGE_SIZE = 500;

export const auditCsvColumns = [
  "id",
  "created_at",
  "action",
  "actor_user_id",
  "actor_api_key_id",
  "target_type",
  "target_id",
  "ip_address",
  "user_agent",
  "request_id",
  "details",
] as const;

function csvRecord(event: AuditEvent): string {
  return csvLine([
    event.id,
    event.createdAt,
    event.action,
    event.actorUserId,
    event.actorApiKeyId,
    event.targetType,
    event.targetId,
    event.ipAddress,
    event.userAgent,
    event.requestId,
    event.details,
  ]);
}

/**
 * Records the export (`audit.exported`) and streams the organisation's matching events as
 * CSV, newest first, a page at a time so that a long log never sits in memory.
 */
export function exportAuditCsv(ctx: ServiceContext, filters: AuditFilters): ReadableStream<Uint8Array> {
  const exported = recordAudit(ctx.db, {
    orgId: ctx.orgId,
    action: "audit.exported",
    actorUserId: ctx.userId,
    actorApiKeyId: ctx.apiKeyId,
    details: { format: "csv", filters: describeFilters(filters) },
    meta: ctx.meta,
  });
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(auditCsvColumns)));
    },
    pull(controller) {
      if (done) {
        controller.close();
        return;
      }
      // Keyset pages move towards older ids, so events recorded while streaming stay out.
      const page = listAuditEvents(ctx.db, ctx.orgId, { ...filters, cursor, limit: PAGE_SIZE });
      const records = page.data.filter((event) => event.id !== exported.id).map(csvRecord);
      controller.enqueue(encoder.encode(records.join("")));
      cursor = page.nextCursor ?? undefined;
      done = page.nextCursor === null;
    },
  });
}

function describeFilters(filters: AuditFilters): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      action: filters.action?.join(","),
      actorId: filters.actorUserId,
      targetId: filters.targetId,
      from: filters.from?.toISOString(),
      to: filters.to?.toISOString(),
    }).filter(([, value]) => value !== undefined),
  );
}
