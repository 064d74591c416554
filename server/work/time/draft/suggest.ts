import { statusLabels } from "../../../../models/task-labels.ts";
import type { TaskStatus } from "../../../../models/work.ts";
import type { GithubCommit } from "../../../github/client.ts";
import { dayOf, startOfDay } from "../../../tools/days.ts";
import type { LoggedWork, TaskAct } from "./evidence.ts";

/**
 * How the drafter turns evidence into minutes (the README says the same):
 * - a task: 30 min for each status move or closing, 15 min for each comment, at most 2 h per task and day;
 * - commits: per repository and day, commits less than 2 h apart form a session worth its span
 *   plus 30 min (the work before the first commit), at least 30 min;
 * - every suggestion is rounded up to 15 min, and a day's suggestions stop at 8 h with what is
 *   logged already (the smallest are dropped first).
 * A task with time logged on it that day is not suggested again, nor is a suggestion the person
 * accepted or discarded before.
 */
const draftRules = {
  moveMinutes: 30,
  commentMinutes: 15,
  taskCapMinutes: 120,
  sessionGapMs: 2 * 3_600_000,
  sessionFloorMinutes: 30,
  dayCapMinutes: 480,
  roundTo: 15,
} as const;

export type Suggestion = {
  /** Stable for the week: `2030-01-08:tsk_…` or `2030-01-08:gh:acme/site`. */
  key: string;
  date: string;
  source: "tasks" | "github";
  taskId: string | null;
  projectId: string | null;
  /** The task's title or the repository. */
  label: string;
  minutes: number;
  note: string;
  /** Why: "moved “Order valves” to Review on Tue", "3 commits to acme/site: …". */
  evidence: string[];
};

const weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const weekdayOf = (day: string) => weekdayNames[startOfDay(day).getUTCDay()] ?? day;
const roundUp = (minutes: number) => Math.ceil(minutes / draftRules.roundTo) * draftRules.roundTo;
const statusWord = (status: string | null) =>
  status && status in statusLabels ? statusLabels[status as TaskStatus] : (status ?? "another status");

function taskSuggestions(acts: TaskAct[]): Suggestion[] {
  const byKey = new Map<string, { act: TaskAct; minutes: number; evidence: string[]; comments: number }>();
  for (const act of acts) {
    const key = `${act.day}:${act.taskId}`;
    const item = byKey.get(key) ?? { act, minutes: 0, evidence: [], comments: 0 };
    byKey.set(key, item);
    if (act.kind === "commented") {
      item.comments += 1;
      item.minutes += draftRules.commentMinutes;
      continue;
    }
    item.minutes += draftRules.moveMinutes;
    item.evidence.push(
      act.kind === "closed"
        ? `closed “${act.title}” on ${weekdayOf(act.day)}`
        : `moved “${act.title}” to ${statusWord(act.to)} on ${weekdayOf(act.day)}`,
    );
  }
  return [...byKey.entries()].map(([key, item]) => {
    const { act } = item;
    if (item.comments > 0) {
      const times = item.comments === 1 ? "" : ` (${item.comments} comments)`;
      item.evidence.push(`commented on “${act.title}” on ${weekdayOf(act.day)}${times}`);
    }
    return {
      key,
      date: act.day,
      source: "tasks" as const,
      taskId: act.taskId,
      projectId: act.projectId,
      label: act.title,
      minutes: roundUp(Math.min(item.minutes, draftRules.taskCapMinutes)),
      note: act.title,
      evidence: item.evidence,
    };
  });
}

/** Sessions of one repository's commits of one day: runs less than sessionGapMs apart. */
function sessionMinutes(commits: GithubCommit[]): number {
  const times = commits.map((commit) => commit.at.getTime()).sort((a, b) => a - b);
  let total = 0;
  let start = times[0] ?? 0;
  let last = start;
  for (const time of [...times.slice(1), Number.POSITIVE_INFINITY]) {
    if (time - last < draftRules.sessionGapMs) {
      last = time;
      continue;
    }
    total += Math.max(
      draftRules.sessionFloorMinutes,
      Math.round((last - start) / 60_000) + draftRules.sessionFloorMinutes,
    );
    start = time;
    last = time;
  }
  return total;
}

function commitSuggestions(commits: GithubCommit[], weekDays: ReadonlySet<string>): Suggestion[] {
  const groups = new Map<string, GithubCommit[]>();
  for (const commit of commits) {
    const day = dayOf(commit.at);
    if (!weekDays.has(day) || !commit.repository) continue;
    const key = `${day}:gh:${commit.repository}`;
    groups.set(key, [...(groups.get(key) ?? []), commit]);
  }
  return [...groups.entries()].map(([key, group]) => {
    const [first] = group;
    const repository = first?.repository ?? "";
    const date = first ? dayOf(first.at) : "";
    const messages = [...new Set(group.map((commit) => commit.message).filter(Boolean))];
    const shown = messages.slice(0, 3).join("; ") + (messages.length > 3 ? "; …" : "");
    const count = group.length === 1 ? "1 commit" : `${group.length} commits`;
    return {
      key,
      date,
      source: "github" as const,
      taskId: null,
      projectId: null,
      label: repository,
      minutes: roundUp(sessionMinutes(group)),
      note: `${repository}: ${shown}`.slice(0, 500),
      evidence: [`${count} to ${repository} on ${weekdayOf(date)}${shown ? `: ${shown}` : ""}`],
    };
  });
}

/** The week's suggestions, by day then largest first; nothing here writes anything. */
export function suggestEntries(input: {
  days: string[];
  acts: TaskAct[];
  commits: GithubCommit[];
  logged: LoggedWork[];
  /** Keys accepted or discarded this week. */
  decided: ReadonlySet<string>;
}): Suggestion[] {
  const loggedTask = new Set(input.logged.filter((row) => row.taskId).map((row) => `${row.day}:${row.taskId}`));
  const loggedMinutes = new Map<string, number>();
  for (const row of input.logged) loggedMinutes.set(row.day, (loggedMinutes.get(row.day) ?? 0) + row.minutes);
  const candidates = [...taskSuggestions(input.acts), ...commitSuggestions(input.commits, new Set(input.days))]
    .filter((item) => !input.decided.has(item.key) && !loggedTask.has(item.key))
    .sort((a, b) => a.date.localeCompare(b.date) || b.minutes - a.minutes || a.key.localeCompare(b.key));
  const kept: Suggestion[] = [];
  for (const day of input.days) {
    let room = draftRules.dayCapMinutes - (loggedMinutes.get(day) ?? 0);
    for (const item of candidates.filter((candidate) => candidate.date === day)) {
      const minutes = Math.floor(Math.min(item.minutes, room) / draftRules.roundTo) * draftRules.roundTo;
      if (minutes < draftRules.roundTo) break;
      kept.push({ ...item, minutes });
      room -= minutes;
    }
  }
  return kept;
}
