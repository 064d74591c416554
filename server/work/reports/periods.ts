import { type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { DayRange } from "./range.ts";

/**
 * A range of days as whole months plus the days of the partial months at its ends, so that a
 * report sums at most a few dozen day rows and one row per month of the running totals
 * (models/summaries.ts), however many rows were written.
 */
export type RangeParts = {
  /** Whole months (`YYYY-MM`, both ends included), or null when the range covers none. */
  months: DayRange | null;
  /** Day ranges (`YYYY-MM-DD`, both ends included) outside those months. */
  days: DayRange[];
};

export function partsOf(range: DayRange): RangeParts {
  const fromMonth = range.from.slice(0, 7);
  const toMonth = range.to.slice(0, 7);
  const startsOnFirst = range.from.slice(8) === "01";
  const endsOnLast = range.to.slice(8) === lastDayOf(toMonth);
  if (fromMonth === toMonth) {
    return startsOnFirst && endsOnLast
      ? { months: { from: fromMonth, to: toMonth }, days: [] }
      : { months: null, days: [range] };
  }
  const days: DayRange[] = [];
  let firstMonth = fromMonth;
  let lastMonth = toMonth;
  if (!startsOnFirst) {
    days.push({ from: range.from, to: `${fromMonth}-31` });
    firstMonth = shiftMonth(fromMonth, 1);
  }
  if (!endsOnLast) {
    days.push({ from: `${toMonth}-01`, to: range.to });
    lastMonth = shiftMonth(toMonth, -1);
  }
  return { months: firstMonth <= lastMonth ? { from: firstMonth, to: lastMonth } : null, days };
}

/**
 * `select <columns> from <month table> … union all select <columns> from <day table> …` over the
 * parts of a range, for one organisation: the rows a report then groups. `columns` names the
 * month (or day) column `period`, so a caller can take a month with `substr(period, 1, 7)`.
 */
export function rowsInRange(
  orgId: string,
  range: DayRange,
  tables: { month: SQLiteTable; day: SQLiteTable },
  columns: SQL,
  where?: SQL,
): SQL {
  const parts = partsOf(range);
  const selects: SQL[] = [];
  const extra = where ? sql` and ${where}` : sql``;
  if (parts.months) {
    selects.push(
      sql`select month as period, ${columns} from ${tables.month} where org_id = ${orgId} and month between ${parts.months.from} and ${parts.months.to}${extra}`,
    );
  }
  for (const days of parts.days) {
    selects.push(
      sql`select day as period, ${columns} from ${tables.day} where org_id = ${orgId} and day between ${days.from} and ${days.to}${extra}`,
    );
  }
  return sql.join(selects, sql` union all `);
}

function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  return String(new Date(Date.UTC(year ?? 0, monthNumber ?? 0, 0)).getUTCDate()).padStart(2, "0");
}

function shiftMonth(month: string, months: number): string {
  const date = new Date(`${month}-01T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString().slice(0, 7);
}
