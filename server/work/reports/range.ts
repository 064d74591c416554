import { AppError } from "../../http/errors.ts";
import { daysBetween, todayUtc } from "../../tools/days.ts";

/** A range of whole UTC days, both ends included (`YYYY-MM-DD`). */
export type DayRange = { from: string; to: string };

const MAX_DAYS = 3 * 366;

/**
 * The range a report covers: what was asked for, else the last twelve months (from the first
 * day of the month eleven months back to today). 422 on `to` when it runs backwards or spans
 * more than three years.
 */
export function reportRange(
  query: { from?: string | undefined; to?: string | undefined },
  today = todayUtc(),
): DayRange {
  const to = query.to ?? today;
  const from = query.from ?? firstOfMonth(monthsBefore(to, 11));
  if (to < from) throw invalidRange("The end of the range comes before its start.");
  if (daysBetween(from, to) >= MAX_DAYS) throw invalidRange("Ask for at most three years at a time.");
  return { from, to };
}

/** Every month of the range, `YYYY-MM`, in order. */
export function monthsOf(range: DayRange): string[] {
  const months: string[] = [];
  for (let month = range.from.slice(0, 7); month <= range.to.slice(0, 7); month = nextMonth(month)) months.push(month);
  return months;
}

function firstOfMonth(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

function monthsBefore(day: string, months: number): string {
  const date = new Date(`${day.slice(0, 7)}-01T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString().slice(0, 10);
}

function nextMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00.000Z`);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return date.toISOString().slice(0, 7);
}

function invalidRange(message: string): AppError {
  return new AppError("validation_failed", "The request is not valid.", [{ path: "to", message }]);
}
