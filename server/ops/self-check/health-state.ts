import { z } from "zod";
import type { Queryable } from "../../db.ts";
import { readInstanceSetting, writeInstanceSetting } from "../instance-setting.ts";

/** What the instance admins were last told, kept so that a restart neither repeats nor loses an alert. */
const KEY = "self_check";

const problem = z.object({ check: z.string(), label: z.string(), message: z.string() });
const healthState = z.object({
  status: z.enum(["ok", "failing"]),
  /** Failing: what fails now. Ok: what failed last, for the recovery's record (empty before any). */
  problems: z.array(problem),
  /** When the box went bad, or came back. */
  since: z.iso.datetime(),
});

export type HealthProblem = z.infer<typeof problem>;
export type HealthState = z.infer<typeof healthState>;

export function findHealthState(db: Queryable): HealthState | null {
  return readInstanceSetting(db, KEY, healthState);
}

export function saveHealthState(db: Queryable, state: HealthState, now: Date): void {
  writeInstanceSetting(db, KEY, state, now);
}

/** The console banner's content: what fails and since when, while something does. */
export function findHealthAlert(db: Queryable): { problems: string[]; since: Date } | null {
  const state = findHealthState(db);
  if (state?.status !== "failing") return null;
  return { problems: state.problems.map((item) => item.label), since: new Date(state.since) };
}
