import type { Context } from "hono";
import type { AuditPageProps } from "../../views/pages/settings/audit.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { queryString } from "../tools/query-string.ts";
import { describeAuditEvents, listAuditActions, listOrganizationPeople } from "./people.ts";
import type { AuditConsoleQuery } from "./schemas.ts";
import type { listAuditEvents } from "./service.ts";

/** The audit log page's props: a page of events in words, the filters, and the links around them. */
export function auditPageProps(
  c: Context<AppEnv>,
  query: AuditConsoleQuery,
  page: ReturnType<typeof listAuditEvents>,
  errors: AuditPageProps["errors"],
): AuditPageProps {
  const ctx = serviceContext(c);
  const filters = { action: query.action, actorId: query.actorId, from: query.from, to: query.to };
  return {
    rows: describeAuditEvents(ctx.db, ctx.orgId, page.data),
    filters,
    errors,
    actions: listAuditActions(ctx.db, ctx.orgId),
    people: listOrganizationPeople(ctx.db, ctx.orgId),
    olderHref: page.nextCursor ? `/settings/audit${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    newestHref: query.cursor ? `/settings/audit${queryString(filters)}` : null,
    exportHref: `/settings/audit/export.csv${queryString(filters)}`,
    switcher: organizationSwitcher(c),
  };
}
