import { sql } from "drizzle-orm";
import { type InvoiceStatus, invoiceStatuses } from "../../../models/billing.ts";
import { invoiceDayTotals, invoiceMonthTotals } from "../../../models/summaries.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { readUntilWrite } from "../../db-read-cache.ts";
import { rowsInRange } from "./periods.ts";
import type { DayRange } from "./range.ts";

/** Invoices of one status in one currency: how many and their total (minor units). */
export type InvoicesByStatusRow = { status: InvoiceStatus; currency: string; count: number; total: number };

/** Invoices issued in one month (`YYYY-MM`) in one currency, void ones left out. */
export type InvoicesByMonthRow = { month: string; currency: string; count: number; total: number };

// Sums of the running totals (models/summaries.ts), not of the invoices: constant in their number.
const invoiceTotals = { month: invoiceMonthTotals, day: invoiceDayTotals };
const columns = sql`status, currency, invoices, total`;
const sums = sql`sum(t.invoices) as count, sum(t.total) as total`;

/** Invoices issued in the range, per status (in the order of the lifecycle) and currency. */
export function invoicesByStatus(ctx: ServiceContext, range: DayRange): InvoicesByStatusRow[] {
  return readUntilWrite(ctx.db, `reports.invoicesByStatus:${ctx.orgId}:${range.from}:${range.to}`, () =>
    readInvoicesByStatus(ctx, range),
  );
}

function readInvoicesByStatus(ctx: ServiceContext, range: DayRange): InvoicesByStatusRow[] {
  const rows = ctx.db
    .all<InvoicesByStatusRow>(
      sql`select t.status as status, t.currency as currency, ${sums}
          from (${rowsInRange(ctx.orgId, range, invoiceTotals, columns)}) t
          group by t.status, t.currency having sum(t.invoices) > 0`,
    )
    .map((row) => ({ ...row, count: Number(row.count), total: Number(row.total) }));
  const order = (status: InvoiceStatus) => invoiceStatuses.indexOf(status);
  return rows.sort((a, b) => order(a.status) - order(b.status) || a.currency.localeCompare(b.currency));
}

/** Invoices issued per month of their issue date and currency; void invoices do not count. */
export function invoicesByMonth(ctx: ServiceContext, range: DayRange): InvoicesByMonthRow[] {
  return readUntilWrite(ctx.db, `reports.invoicesByMonth:${ctx.orgId}:${range.from}:${range.to}`, () =>
    ctx.db
      .all<InvoicesByMonthRow>(
        sql`select substr(t.period, 1, 7) as month, t.currency as currency, ${sums}
            from (${rowsInRange(ctx.orgId, range, invoiceTotals, columns, sql`status <> 'void'`)}) t
            group by month, t.currency having sum(t.invoices) > 0
            order by month asc, t.currency asc`,
      )
      .map((row) => ({ ...row, count: Number(row.count), total: Number(row.total) })),
  );
}
