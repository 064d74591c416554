/** Words and numbers of the Pulse; pure functions of their arguments (and of `now`, passed in). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const taskStatusLabels: Record<string, string> = {
  todo: "To do",
  in_progress: "In progress",
  blocked: "Blocked",
  review: "Review",
  done: "Done",
};

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function timeAgo(then: Date, now: Date): string {
  const elapsed = now.getTime() - then.getTime();
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (elapsed < 7 * DAY) {
    const days = Math.floor(elapsed / DAY);
    return days === 1 ? "yesterday" : `${days} days ago`;
  }
  return shortDate(then, now);
}

/** "12 Mar", or "12 Mar 2024" outside the current year (UTC, like every day the box shows). */
export function shortDate(instant: Date, now: Date): string {
  const sameYear = instant.getUTCFullYear() === now.getUTCFullYear();
  return (sameYear ? dayMonthFormat : dayMonthYearFormat).format(instant);
}

// Made once each: toLocaleDateString builds a formatter on every call.
const dayMonthFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const dayMonthYearFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});
const weekdayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", timeZone: "UTC" });

/** "due today", "due in 3 days", "2 days overdue". */
export function dueText(dueAt: Date, now: Date): string {
  const days = Math.floor(dayNumber(dueAt) - dayNumber(now));
  if (dueAt.getTime() < now.getTime()) {
    const late = Math.max(-days, 0);
    if (late === 0) return "due earlier today";
    return late === 1 ? "1 day overdue" : `${late} days overdue`;
  }
  if (days === 0) return "due today";
  if (days === 1) return "due tomorrow";
  if (days < 7) return `due in ${days} days`;
  return `due ${shortDate(dueAt, now)}`;
}

function dayNumber(instant: Date): number {
  return Math.floor(instant.getTime() / DAY);
}

/** Minutes as "7 h 05"; "0 h" when none. */
export function hoursText(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${String(rest).padStart(2, "0")}`;
}

/** "Mon" … "Sun" of a `YYYY-MM-DD` day. */
export function weekdayOf(day: string): string {
  return weekdayFormat.format(new Date(`${day}T00:00:00Z`));
}
