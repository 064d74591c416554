import { type Context, Hono } from "hono";
import { apiDoc } from "../http/api-doc.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { validate } from "../http/validate.ts";
import { todayUtc } from "../tools/days.ts";
import { exportAuditCsv } from "./export.ts";
import { auditEventQuery } from "./schemas.ts";
import { listAuditEvents } from "./service.ts";
import { type AuditFilters, auditFiltersOf, toAuditEventJson } from "./view.ts";

/** What the OpenAPI document says about these routes (see server/http/openapi.ts). */
const docs = {
  getAuditEvents: apiDoc({ summary: "List audit events (JSON, or CSV with format=csv)", tags: ["Audit log"] }),
  getAuditEventsCsv: apiDoc({
    summary: "Export audit events as CSV",
    tags: ["Audit log"],
    responses: { 200: { description: "The CSV file.", contentType: "text/csv" } },
  }),
};

/** API of the audit log: /audit-events (JSON, or CSV with `?format=csv`) and /audit-events.csv. */
export const auditApi = new Hono<AppEnv>()
  .get(
    "/audit-events",
    docs.getAuditEvents,
    requirePermission("audit.read"),
    validate("query", auditEventQuery),
    (c) => {
      const query = c.req.valid("query");
      if (query.format === "csv") return respondWithCsv(c, auditFiltersOf(query));
      const ctx = serviceContext(c);
      const page = listAuditEvents(ctx.db, ctx.orgId, {
        ...auditFiltersOf(query),
        cursor: query.cursor,
        limit: query.limit,
      });
      return c.json({ data: page.data.map(toAuditEventJson), nextCursor: page.nextCursor });
    },
  )
  .get(
    "/audit-events.csv",
    docs.getAuditEventsCsv,
    requirePermission("audit.read"),
    validate("query", auditEventQuery),
    (c) => respondWithCsv(c, auditFiltersOf(c.req.valid("query"))),
  );

/** Streams the CSV export as a download; shared with the console's Export link. */
export function respondWithCsv(c: Context<AppEnv>, filters: AuditFilters): Response {
  const stream = exportAuditCsv(serviceContext(c), filters);
  const day = todayUtc();
  return c.body(stream, 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="audit-events-${day}.csv"`,
    "Cache-Control": "no-store",
  });
}
