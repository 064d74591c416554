import { and, eq } from "drizzle-orm";
import type { TimeEntry, TimesheetStatus } from "../../../../models/time.ts";
import { timesheetDraftDecisions } from "../../../../models/timesheet-drafts.ts";
import type { ServiceContext } from "../../../auth/sessions/context.ts";
import type { Queryable } from "../../../db.ts";
import { type GithubWeek, githubCommitsOf } from "../../../github/week-commits.ts";
import { AppError } from "../../../http/errors.ts";
import { addDays, daysOfWeek } from "../../../tools/days.ts";
import type { Keyring } from "../../../tools/secrets.ts";
import { insertTimeEntry } from "../entries.ts";
import { assertWeekOpen, resolveWork } from "../entry-rules.ts";
import { findSheetOfWeek, isLocked } from "../week.ts";
import { loggedWorkOfWeek, taskActsOfWeek } from "./evidence.ts";
import type { AcceptDraftInput, DiscardDraftInput } from "./schemas.ts";
import { type Suggestion, suggestEntries } from "./suggest.ts";

export type Draft = {
  weekStart: string;
  weekEnd: string;
  status: TimesheetStatus;
  locked: boolean;
  github: { status: GithubWeek["status"]; login: string | null };
  suggestions: Suggestion[];
};

type Person = { db: Queryable; orgId: string; userId: string };

function decidedKeys(person: Person, weekStart: string): Set<string> {
  const rows = person.db
    .select({ key: timesheetDraftDecisions.suggestionKey })
    .from(timesheetDraftDecisions)
    .where(
      and(
        eq(timesheetDraftDecisions.orgId, person.orgId),
        eq(timesheetDraftDecisions.userId, person.userId),
        eq(timesheetDraftDecisions.weekStart, weekStart),
      ),
    )
    .all();
  return new Set(rows.map((row) => row.key));
}

/** The draft from what the box holds and the commits given (none: the box's own evidence only). Reads only. */
export function draftFrom(person: Person, weekStart: string, github: GithubWeek): Draft {
  const days = daysOfWeek(weekStart);
  const status = findSheetOfWeek(person.db, person.orgId, person.userId, weekStart)?.status ?? "open";
  const suggestions = suggestEntries({
    days,
    acts: taskActsOfWeek(person.db, person.orgId, person.userId, weekStart),
    commits: github.commits,
    logged: loggedWorkOfWeek(person.db, person.orgId, person.userId, weekStart),
    decided: decidedKeys(person, weekStart),
  });
  return {
    weekStart,
    weekEnd: addDays(weekStart, 6),
    status,
    locked: isLocked(status),
    github: { status: github.status, login: github.login },
    suggestions,
  };
}

export type DraftDeps = { keyring: Keyring; githubApiUrl: string };

/** The caller's draft of the week, with their commits when they connected GitHub. Nothing is written to time entries. */
export async function draftWeek(
  ctx: ServiceContext,
  weekStart: string,
  deps: DraftDeps,
  github?: GithubWeek,
): Promise<Draft> {
  return draftFrom(
    { db: ctx.db, orgId: ctx.orgId, userId: ctx.userId },
    weekStart,
    github ?? (await githubWeekOf(ctx, weekStart, deps)),
  );
}

/** The person's commits of the week on GitHub when they connected it: one round of requests, which a caller drafting twice (accept, then the page again) passes to draftWeek. */
export function githubWeekOf(ctx: ServiceContext, weekStart: string, deps: DraftDeps): Promise<GithubWeek> {
  return githubCommitsOf(
    { db: ctx.db, keyring: deps.keyring, apiUrl: deps.githubApiUrl },
    { orgId: ctx.orgId, userId: ctx.userId },
    { from: weekStart, to: addDays(weekStart, 6) },
  );
}

function record(
  tx: Queryable,
  ctx: ServiceContext,
  weekStart: string,
  keys: string[],
  decision: "accepted" | "discarded",
) {
  if (keys.length === 0) return;
  const decidedAt = new Date();
  tx.insert(timesheetDraftDecisions)
    .values(
      keys.map((key) => ({ orgId: ctx.orgId, userId: ctx.userId, weekStart, suggestionKey: key, decision, decidedAt })),
    )
    .onConflictDoUpdate({
      target: [
        timesheetDraftDecisions.orgId,
        timesheetDraftDecisions.userId,
        timesheetDraftDecisions.weekStart,
        timesheetDraftDecisions.suggestionKey,
      ],
      set: { decision, decidedAt },
    })
    .run();
}

/**
 * Writes the chosen suggestions of the caller's own draft as time entries, all or none, under
 * every rule of time entries (a submitted or approved week is a 409). A key that is not in the
 * caller's draft now is a 422 on it; so is a commit suggestion without a project.
 */
export function acceptSuggestions(ctx: ServiceContext, draft: Draft, input: AcceptDraftInput): TimeEntry[] {
  const byKey = new Map(draft.suggestions.map((item) => [item.key, item]));
  const refusals = input.suggestions.flatMap((pick, index) => {
    const item = byKey.get(pick.key);
    if (!item)
      return [{ path: `suggestions.${index}.key`, message: "This suggestion is not in your draft (any more)." }];
    if (!item.taskId && !item.projectId && !pick.projectId) {
      return [{ path: `suggestions.${index}.projectId`, message: `Choose a project for the time on ${item.label}.` }];
    }
    return [];
  });
  if (refusals.length > 0) throw new AppError("validation_failed", "The request is not valid.", refusals);
  return ctx.db.transaction((tx) => {
    assertWeekOpen(tx, ctx.orgId, ctx.userId, draft.weekStart);
    const entries = input.suggestions.map((pick, index) => {
      const item = byKey.get(pick.key) as Suggestion;
      let work: ReturnType<typeof resolveWork>;
      try {
        work = resolveWork(tx, ctx.orgId, {
          taskId: item.taskId,
          projectId: item.taskId ? null : (item.projectId ?? pick.projectId ?? null),
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        throw new AppError("validation_failed", "The request is not valid.", [
          { path: `suggestions.${index}.projectId`, message: error.details[0]?.message ?? error.message },
        ]);
      }
      const entry = {
        userId: ctx.userId,
        date: item.date,
        minutes: pick.minutes ?? item.minutes,
        note: pick.note ?? item.note,
        billable: false,
      };
      try {
        return insertTimeEntry(tx, ctx, { ...entry, ...work });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "validation_failed") throw error;
        throw new AppError("validation_failed", "The request is not valid.", [
          { path: `suggestions.${index}.minutes`, message: error.details[0]?.message ?? error.message },
        ]);
      }
    });
    record(
      tx,
      ctx,
      draft.weekStart,
      input.suggestions.map((pick) => pick.key),
      "accepted",
    );
    return entries;
  });
}

/** Hides suggestions of the caller's week for good (they are not suggested again that week); answers how many. */
export function discardSuggestions(ctx: ServiceContext, input: DiscardDraftInput): number {
  const keys = [...new Set(input.keys)];
  ctx.db.transaction((tx) => record(tx, ctx, input.week, keys, "discarded"));
  return keys.length;
}
