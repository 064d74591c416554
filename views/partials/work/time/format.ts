/** How days and weeks read in the time pages (durations: server/tools/durations.ts). */

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mon 10 Feb" for a `YYYY-MM-DD` day (UTC, English, as the rest of the console). */
export function dayLabel(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return `${weekdays[date.getUTCDay()]} ${date.getUTCDate()} ${months[date.getUTCMonth()]}`;
}

/** "10 – 16 Feb 2025" for a week. */
export function weekRangeLabel(weekStart: string, weekEnd: string): string {
  const start = new Date(`${weekStart}T00:00:00Z`);
  const end = new Date(`${weekEnd}T00:00:00Z`);
  const startMonth = start.getUTCMonth() === end.getUTCMonth() ? "" : ` ${months[start.getUTCMonth()]}`;
  return `${start.getUTCDate()}${startMonth} – ${end.getUTCDate()} ${months[end.getUTCMonth()]} ${end.getUTCFullYear()}`;
}
