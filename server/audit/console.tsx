/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { AuditPage, type AuditPageProps } from "../../views/pages/settings/audit.tsx";
import { renderPage } from "../console/render.tsx";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { respondWithCsv } from "./api.ts";
import { auditPageProps } from "./console-props.ts";
import { type AuditConsoleQuery, auditConsoleQuery } from "./schemas.ts";
import { listAuditEvents } from "./service.ts";
import type { AuditFilters } from "./view.ts";

const PAGE_SIZE = 50;
const noFilters: AuditConsoleQuery = { action: "", actorId: "", from: "", to: "" };

/** Settings → Audit log page with filters, paging and CSV export. */
export const auditConsole = new Hono<AppEnv>()
  .get("/", requirePermission("audit.read"), (c) => {
    const parsed = auditConsoleQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const errors: AuditPageProps["errors"] = {};
      for (const issue of parsed.error.issues) {
        if (issue.path[0] === "from" || issue.path[0] === "to") errors[issue.path[0]] ??= issue.message;
      }
      const typed = { ...noFilters, ...pickText(c.req.query()) };
      return render(c, typed, { data: [], nextCursor: null }, errors, 422);
    }
    const query = parsed.data;
    const ctx = serviceContext(c);
    const page = listAuditEvents(ctx.db, ctx.orgId, { ...filtersOf(query), cursor: query.cursor, limit: PAGE_SIZE });
    return render(c, query, page, {});
  })
  .get("/export.csv", requirePermission("audit.read"), (c) => {
    const parsed = auditConsoleQuery.safeParse(c.req.query());
    return respondWithCsv(c, filtersOf(parsed.success ? parsed.data : noFilters));
  });

function render(
  c: Context<AppEnv>,
  query: AuditConsoleQuery,
  page: ReturnType<typeof listAuditEvents>,
  errors: AuditPageProps["errors"],
  status: 200 | 422 = 200,
) {
  return renderPage(
    c,
    { title: "Audit log", current: "/settings/users" },
    <AuditPage {...auditPageProps(c, query, page, errors)} />,
    status,
  );
}

/** Days are whole UTC days: `from` at its first millisecond, `to` at its last. */
function filtersOf(query: AuditConsoleQuery): AuditFilters {
  return {
    action: query.action ? query.action.split(",").map((action) => action.trim()) : undefined,
    actorUserId: query.actorId || undefined,
    from: query.from ? new Date(`${query.from}T00:00:00.000Z`) : undefined,
    to: query.to ? new Date(`${query.to}T23:59:59.999Z`) : undefined,
  };
}

function pickText(query: Record<string, string>): Partial<AuditConsoleQuery> {
  const { action = "", actorId = "", from = "", to = "" } = query;
  return { action: action.slice(0, 100), actorId: actorId.slice(0, 64), from: from.slice(0, 10), to: to.slice(0, 10) };
}
