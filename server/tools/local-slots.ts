import { addDays } from "./days.ts";
import { wallClock } from "./zoned-time.ts";

/**
 * A local hour that comes back weekly (on a weekday, 0 = Sunday) or monthly (on a day of the
 * month; 29–31 fall on the last day of shorter months), in a named time zone. Pure.
 */
export type LocalCadence =
  | { frequency: "weekly"; weekday: number; hour: number }
  | { frequency: "monthly"; monthDay: number; hour: number };

const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function isSlotDay(day: string, cadence: LocalCadence): boolean {
  const date = new Date(`${day}T00:00:00.000Z`);
  if (cadence.frequency === "weekly") return date.getUTCDay() === cadence.weekday;
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  return date.getUTCDate() === Math.min(cadence.monthDay, lastDay);
}

// A monthly slot comes back within 31 days; two months of looking is always enough.
const LOOK_DAYS = 62;

/**
 * The local day (`YYYY-MM-DD`) of the latest slot at or before `instant`: the last slot day whose
 * hour has come. A job that keeps the last slot it served acts when this is newer, so a box that
 * was off at the hour catches up once, and no slot is served twice.
 */
export function latestSlot(instant: Date, timeZone: string, cadence: LocalCadence): string {
  const clock = wallClock(instant, timeZone);
  let day = clock.hour >= cadence.hour ? clock.day : addDays(clock.day, -1);
  for (let step = 0; step < LOOK_DAYS && !isSlotDay(day, cadence); step++) day = addDays(day, -1);
  return day;
}

/** The instant of the next slot after `instant`. */
export function nextSlotAt(instant: Date, timeZone: string, cadence: LocalCadence): Date {
  const clock = wallClock(instant, timeZone);
  let day = clock.hour < cadence.hour ? clock.day : addDays(clock.day, 1);
  for (let step = 0; step < LOOK_DAYS && !isSlotDay(day, cadence); step++) day = addDays(day, 1);
  return zonedInstant(day, cadence.hour, timeZone);
}

const MINUTE = 60_000;

/** The instant a wall clock in `timeZone` shows `hour`:00 on `day` (the hour after a gap, when the clocks skip it). */
export function zonedInstant(day: string, hour: number, timeZone: string): Date {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  const wanted = Date.UTC(year, month - 1, date, hour);
  // The wall clock at an instant, as if it were UTC: comparable with `wanted`.
  const shownAt = (at: number) => {
    const shown = wallClock(new Date(at), timeZone);
    const [y = 0, m = 1, d = 1] = shown.day.split("-").map(Number);
    return Date.UTC(y, m - 1, d, shown.hour, shown.minute);
  };
  let guess = wanted;
  for (let step = 0; step < 3; step++) {
    const drift = shownAt(guess) - wanted;
    if (drift === 0) return new Date(guess);
    guess -= drift;
  }
  // The clocks skip the hour: the first minute the wall clock shows it or later.
  let low = Math.floor(guess / MINUTE) - 3 * 60; // before the gap
  let high = low + 6 * 60; // after it
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (shownAt(middle * MINUTE) >= wanted) high = middle;
    else low = middle;
  }
  return new Date(high * MINUTE);
}

/** The cadence in words: "every Monday at 08:00", "monthly on day 1 at 07:00". */
export function describeCadence(cadence: LocalCadence): string {
  const at = `${String(cadence.hour).padStart(2, "0")}:00`;
  if (cadence.frequency === "weekly") return `every ${weekdayNames[cadence.weekday] ?? "?"} at ${at}`;
  return `monthly on day ${cadence.monthDay} at ${at}`;
}

/** The name of a weekday, 0 = Sunday. */
export const weekdayName = (weekday: number): string => weekdayNames[weekday] ?? String(weekday);

/** When the local day of `instant` ends in `timeZone`: the next local midnight, so that "due today" is today where the organisation is. */
export function endOfLocalDay(instant: Date, timeZone: string): Date {
  return zonedInstant(addDays(wallClock(instant, timeZone).day, 1), 0, timeZone);
}
