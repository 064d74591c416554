import { wallClock } from "./zoned-time.ts";

const MINUTE = 60_000;

/**
 * The instant the local day of `instant` ends in `timeZone` (the first minute of the next local
 * day), so that "due today" means today where the organisation is. Found by bisection over the
 * next 26 hours rather than by arithmetic, so daylight-saving days (23 or 25 hours, or a midnight
 * that never shows on the wall) come out right. Pure: the wall clock is read through Intl.
 */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  const today = wallClock(instant, timeZone).day;
  let low = Math.floor(instant.getTime() / MINUTE); // still today
  let high = low + 26 * 60; // surely another day
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClock(new Date(middle * MINUTE), timeZone).day === today) low = middle;
    else high = middle;
  }
  return new Date(high * MINUTE);
}
