/**
 * Wall-clock time in a named IANA time zone ("Europe/Berlin"), for agents that run "each morning"
 * or "Friday afternoon" where the organisation is. Pure: imports nothing.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is a zone this runtime knows ("UTC", "Europe/Berlin"); "" and "Mars/Base" are not. */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    formatFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Every zone the runtime knows, for a select (UTC first). */
export function knownTimeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC");
  return ["UTC", ...zones];
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

export type WallClock = {
  /** The local day, `YYYY-MM-DD`. */
  day: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  hour: number;
  minute: number;
};

/** What a clock on the wall in `timeZone` shows at `instant`. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: weekdays.indexOf(parts.weekday ?? ""),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/**
 * The local day whose slot is due at `instant`: the day when the wall clock in `timeZone` has
 * reached `hour` (and, with `weekday`, it is that weekday); null before then. An agent that
 * runs hourly keeps the last slot it served and acts when this returns a newer one, so a box
 * that was off at the hour catches up later the same day, and never acts twice for one day.
 */
export function dueSlot(instant: Date, timeZone: string, slot: { hour: number; weekday?: number }): string | null {
  const clock = wallClock(instant, timeZone);
  if (slot.weekday !== undefined && clock.weekday !== slot.weekday) return null;
  return clock.hour >= slot.hour ? clock.day : null;
}
