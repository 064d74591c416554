/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { WeekPage, type WeekPageProps } from "../../../views/pages/work/time/week.tsx";
import type { TimerFormValues, TimerPanelProps } from "../../../views/partials/work/time/timer-panel.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { namesOf } from "../../members/directory.ts";
import { addDays, isoWeekLabel, todayUtc, weekStartOf } from "../../tools/days.ts";
import { type WorkChoices, workChoicesOf } from "./choices.ts";
import type { EntryFormValues, FormErrors } from "./entry-form.ts";
import { workLabel } from "./entry-rules.ts";
import { assertSeesTimeOf } from "./scope.ts";
import { findRunningTimer, timerJson } from "./timers.ts";
import { weekSummaryOf } from "./week.ts";

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

const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The day a `?week=` names, when it is a real date. */
export function dayParam(value: string | undefined): string | undefined {
  if (!value || !dayPattern.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return undefined;
  return value;
}

export function weekHref(weekStart: string, userId?: string | null): string {
  return userId ? `/time?week=${weekStart}&user=${encodeURIComponent(userId)}` : `/time?week=${weekStart}`;
}

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

/** Renders /time for a week (the whole page, or #main's content for htmx) with the form state given. */
export function renderWeek(c: Context<AppEnv>, state: WeekState, status: ContentfulStatusCode = 200) {
  const ctx = serviceContext(c);
  const today = todayUtc();
  const weekStart = weekStartOf(state.day ?? today);
  const otherId = state.userId && state.userId !== ctx.userId ? state.userId : null;
  if (otherId) assertSeesTimeOf(ctx, otherId);
  const week = weekSummaryOf(ctx.db, ctx.orgId, otherId ?? ctx.userId, weekStart);
  const choices = workChoicesOf(ctx);
  const defaultDay = today >= weekStart && today <= week.weekEnd ? today : weekStart;
  const props: WeekPageProps = {
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
  return renderPage(c, { title: "Time", current: "/time" }, <WeekPage {...props} />, status);
}
