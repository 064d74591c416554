import type { AuditEvent } from "../../models/audit.ts";
import type { AuditQuery } from "./service.ts";

/** How the API shows one event. */
export function toAuditEventJson(event: AuditEvent) {
  return {
    id: event.id,
    action: event.action,
    actor: { userId: event.actorUserId, apiKeyId: event.actorApiKeyId, agentId: event.actorAgentId },
    target: { type: event.targetType, id: event.targetId },
    ipAddress: event.ipAddress,
    userAgent: event.userAgent,
    requestId: event.requestId,
    details: event.details,
    createdAt: event.createdAt.toISOString(),
  };
}

export type AuditFilters = Omit<AuditQuery, "cursor" | "limit">;

/** The service's filters from the API's query parameters. */
export function auditFiltersOf(query: {
  action?: string[];
  actorId?: string;
  targetId?: string;
  from?: string;
  to?: string;
}): AuditFilters {
  return {
    action: query.action,
    actorUserId: query.actorId || undefined,
    targetId: query.targetId || undefined,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}
