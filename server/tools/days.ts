/**
 * Days are `YYYY-MM-DD` in UTC: the box has no per-person time zone yet, so a day, a week, an
 * invoice's due date and a timer's midnight are all UTC ones. Pure: imports nothing.
 */

const DAY_MS = 86_400_000;

/** The UTC day of an instant. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Today (or the day of `now`) in UTC. */
export function todayUtc(now = new Date()): string {
  return dayOf(now);
}

/** Whether `value` (already `YYYY-MM-DD`) names a day that exists: no 31 February, no month 13. */
export function isCalendarDay(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// Made once: toLocaleDateString builds a formatter on every call, a quarter of a report's time.
const dayFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A day `YYYY-MM-DD` as "31 Mar 2026" (UTC, so it never shifts by a day); "—" for none. */
export function formatDay(day: string | null): string {
  if (!day) return "—";
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayFormat.format(date);
}

/** Midnight UTC at the start of `day`. */
export function startOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** `day` plus `days` calendar days: ("2026-01-30", 30) → "2026-03-01". */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(startOfDay(day).getTime() + days * DAY_MS));
}

/** The Monday of the ISO week that holds `day`. */
export function weekStartOf(day: string): string {
  const weekday = startOfDay(day).getUTCDay(); // 0 = Sunday
  return addDays(day, -((weekday + 6) % 7));
}

/** Whether `day` is a Monday, the day every week starts on. */
export function isMonday(day: string): boolean {
  return startOfDay(day).getUTCDay() === 1;
}

/** Monday to Sunday of the week that starts on `weekStart`. */
export function daysOfWeek(weekStart: string): string[] {
  return Array.from({ length: 7 }, (_, index) => addDays(weekStart, index));
}

/** Whole days from `from` to `to` (0 when equal). */
export function daysBetween(from: string, to: string): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY_MS);
}

/** ISO 8601 week label: `2025-W07`. */
export function isoWeekLabel(weekStart: string): string {
  const thursday = startOfDay(addDays(weekStart, 3));
  const year = thursday.getUTCFullYear();
  const firstThursday = startOfDay(weekStartOf(`${year}-01-04`)).getTime() + 3 * DAY_MS;
  const week = Math.round((thursday.getTime() - firstThursday) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/**
 * Splits a running time at each UTC midnight: one piece per day, each in whole minutes rounded
 * up (at least 1). A piece of no length (stopped exactly at midnight) is left out.
 */
export function splitByDay(startedAt: Date, stoppedAt: Date): { date: string; minutes: number }[] {
  const pieces: { date: string; minutes: number }[] = [];
  let from = startedAt.getTime();
  const end = Math.max(stoppedAt.getTime(), from + 1);
  while (from < end) {
    const date = dayOf(new Date(from));
    const midnight = startOfDay(addDays(date, 1)).getTime();
    const until = Math.min(end, midnight);
    pieces.push({ date, minutes: Math.max(1, Math.ceil((until - from) / 60_000)) });
    from = until;
  }
  return pieces;
}
