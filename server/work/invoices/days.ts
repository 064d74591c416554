/** Calendar days as `YYYY-MM-DD`, in UTC like every day the API speaks. */

export function todayUtc(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** `day` plus `days` calendar days: ("2026-01-30", 30) → "2026-03-01". */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
