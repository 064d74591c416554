import type { Context } from "hono";
import type { TeamPageProps } from "../../../views/pages/work/time/team.tsx";
import type { TotalsPageProps } from "../../../views/pages/work/time/totals.tsx";
import type { WeekPageProps } from "../../../views/pages/work/time/week.tsx";
import type { EntryEditRowProps } from "../../../views/partials/work/time/entry-rows.tsx";
import type { TimerFormValues, TimerPanelProps } from "../../../views/partials/work/time/timer-panel.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { namesOf } from "../../members/directory.ts";
import { addDays, isoWeekLabel, todayUtc, weekStartOf } from "../../tools/days.ts";
import { formatHours } from "../../tools/durations.ts";
import { choiceOfWork, type WorkChoices, workChoicesOf } from "./choices.ts";
import type { EntryFormValues, FormErrors } from "./entry-form.ts";
import { workLabel } from "./entry-rules.ts";
import { approvesEveryone } from "./scope.ts";
import { teamWeekOf } from "./team-week.ts";
import { findRunningTimer, timerJson } from "./timers.ts";
import { timeTotals } from "./totals.ts";
import { weekSummaryOf } from "./week.ts";

/** The time pages' props: a person's week, the timer panel, the team's weeks and the totals. */

export type WeekState = {
  /** Any day of the week to show; this week when absent. */
  day?: string | undefined;
  /** Whose week: the caller's when absent. */
  userId?: string | undefined;
  add?: { values: EntryFormValues; errors: FormErrors };
  editing?: WeekPageProps["editing"];
  timerForm?: { values: TimerFormValues; errors: FormErrors };
  flash?: WeekPageProps["flash"];
};

/** The timer panel: the caller's running timer, or the start form (with what was typed on a 422). */
export function timerPanelPropsOf(
  c: Context<AppEnv>,
  choices: WorkChoices,
  form?: WeekState["timerForm"],
): TimerPanelProps {
  const ctx = serviceContext(c);
  const running = findRunningTimer(ctx);
  return {
    timer: running ? { ...timerJson(running), label: workLabel(ctx.db, running).replace(/^“|”$/g, "") } : null,
    choices,
    values: form?.values ?? { work: "", note: "", billable: false },
    errors: form?.errors ?? {},
    csrf: formCsrf(c),
  };
}

export function valuesOf(entry: {
  date: string;
  minutes: number;
  taskId: string | null;
  projectId: string | null;
  note: string;
  billable: boolean;
}): EntryFormValues {
  return {
    date: entry.date,
    duration: formatHours(entry.minutes),
    work: choiceOfWork(entry),
    note: entry.note,
    billable: entry.billable,
  };
}

/** /time for a week: its entries, links to the weeks around it, the timer and the forms (as typed, when refused). */
export function weekPageProps(c: Context<AppEnv>, state: WeekState, otherId: string | null): WeekPageProps {
  const ctx = serviceContext(c);
  const today = todayUtc();
  const weekStart = weekStartOf(state.day ?? today);
  const week = weekSummaryOf(ctx.db, ctx.orgId, otherId ?? ctx.userId, weekStart);
  const choices = workChoicesOf(ctx);
  const defaultDay = today >= weekStart && today <= week.weekEnd ? today : weekStart;
  return {
    week,
    weekLabel: isoWeekLabel(weekStart),
    today,
    person: otherId ? { id: otherId, name: namesOf(ctx.db, ctx.orgId, [otherId]).get(otherId) ?? "Someone" } : null,
    links: {
      previous: weekHref(addDays(weekStart, -7), otherId),
      next: weekHref(addDays(weekStart, 7), otherId),
      current: weekHref(weekStartOf(today), otherId),
      approval: week.sheet?.approvalRequestId ? `/approvals/${week.sheet.approvalRequestId}` : null,
      team: ctx.permissions.has("timesheets.approve") ? `/time/team?week=${weekStart}` : null,
    },
    timer: otherId ? null : timerPanelPropsOf(c, choices, state.timerForm),
    choices,
    add: state.add ?? {
      values: { date: defaultDay, duration: "", work: "", note: "", billable: false },
      errors: {},
    },
    editing: state.editing ?? null,
    flash: state.flash ?? null,
    csrf: formCsrf(c),
  };
}

/** /time/team: the approver's people's weeks for the week of `day`. */
export function teamPageProps(
  c: Context<AppEnv>,
  day: string | undefined,
  flash: TeamPageProps["flash"],
): TeamPageProps {
  const ctx = serviceContext(c);
  const weekStart = weekStartOf(day ?? todayUtc());
  const href = (start: string) => `/time/team?week=${start}`;
  return {
    weekStart,
    weekEnd: addDays(weekStart, 6),
    weekLabel: isoWeekLabel(weekStart),
    rows: teamWeekOf(ctx, weekStart),
    everyone: approvesEveryone(ctx),
    links: {
      previous: href(addDays(weekStart, -7)),
      next: href(addDays(weekStart, 7)),
      current: href(weekStartOf(todayUtc())),
    },
    flash,
    csrf: formCsrf(c),
  };
}

/** /time/totals: hours per project (and per person, for approvers) over the range, as asked. */
export function totalsPageProps(
  ctx: ServiceContext,
  asked: { from: string | undefined; to: string | undefined },
  range: { from: string; to: string },
  errors: Record<string, string>,
): TotalsPageProps {
  const query = { ...range, userId: "all" } as const;
  const csv = new URLSearchParams({ userId: "all", from: range.from, to: range.to });
  return {
    from: asked.from ?? range.from,
    to: asked.to ?? range.to,
    byProject: timeTotals(ctx, { ...query, groupBy: "project" }),
    byPerson: ctx.permissions.has("timesheets.approve") ? timeTotals(ctx, { ...query, groupBy: "person" }) : null,
    csvHref: `/api/v1/time-entries.csv?${csv}`,
    errors,
  };
}

export function weekHref(weekStart: string, userId?: string | null): string {
  return userId ? `/time?week=${weekStart}&user=${encodeURIComponent(userId)}` : `/time?week=${weekStart}`;
}

/** An entry's inline edit form in its week's table: the entry as stored. */
export function entryEditRowProps(
  c: Context<AppEnv>,
  entry: Parameters<typeof valuesOf>[0],
  named: EntryEditRowProps["entry"],
  weekStart: string,
): EntryEditRowProps {
  return {
    entry: named,
    values: valuesOf(entry),
    errors: {},
    choices: workChoicesOf(serviceContext(c)),
    weekStart,
    csrf: formCsrf(c),
  };
}
