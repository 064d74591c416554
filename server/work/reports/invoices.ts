import { and, asc, count, eq, gte, lte, ne, sql } from "drizzle-orm";
import { type InvoiceStatus, invoiceStatuses, invoices } from "../../../models/billing.ts";
import type { ServiceContext } from "../../auth/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import type { DayRange } from "./range.ts";

/** Invoices of one status in one currency: how many and their total (minor units). */
export type InvoicesByStatusRow = { status: InvoiceStatus; currency: string; count: number; total: number };

/** Invoices issued in one month (`YYYY-MM`) in one currency, void ones left out. */
export type InvoicesByMonthRow = { month: string; currency: string; count: number; total: number };

const total = sql<number>`coalesce(sum(${invoices.total}), 0)`.mapWith(Number);
const month = sql<string>`substr(${invoices.issueDate}, 1, 7)`;

function issuedIn(ctx: ServiceContext, range: DayRange) {
  return and(eq(invoices.orgId, ctx.orgId), gte(invoices.issueDate, range.from), lte(invoices.issueDate, range.to));
}

/** Invoices issued in the range, per status (in the order of the lifecycle) and currency. */
export function invoicesByStatus(ctx: ServiceContext, range: DayRange): InvoicesByStatusRow[] {
  return readUntilWrite(ctx.db, `reports.invoicesByStatus:${ctx.orgId}:${range.from}:${range.to}`, () =>
    readInvoicesByStatus(ctx, range),
  );
}

function readInvoicesByStatus(ctx: ServiceContext, range: DayRange): InvoicesByStatusRow[] {
  const rows = ctx.db
    .select({ status: invoices.status, currency: invoices.currency, count: count(), total })
    .from(invoices)
    .where(issuedIn(ctx, range))
    .groupBy(invoices.status, invoices.currency)
    .all();
  const order = (status: InvoiceStatus) => invoiceStatuses.indexOf(status);
  return rows.sort((a, b) => order(a.status) - order(b.status) || a.currency.localeCompare(b.currency));
}

/** Invoices issued per month of their issue date and currency; void invoices do not count. */
export function invoicesByMonth(ctx: ServiceContext, range: DayRange): InvoicesByMonthRow[] {
  return readUntilWrite(ctx.db, `reports.invoicesByMonth:${ctx.orgId}:${range.from}:${range.to}`, () =>
    ctx.db
      .select({ month, currency: invoices.currency, count: count(), total })
      .from(invoices)
      .where(and(issuedIn(ctx, range), ne(invoices.status, "void")))
      .groupBy(month, invoices.currency)
      .orderBy(asc(month), asc(invoices.currency))
      .all(),
  );
}
