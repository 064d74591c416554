/** @jsxImportSource hono/jsx */

import { formatHours, formatMinutes } from "../../../../server/tools/durations.ts";
import type { EntryFormValues, FormErrors } from "../../../../server/work/time/entry-form.ts";
import type { WeekSummary } from "../../../../server/work/time/week.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { EntryEditRow, EntryFields, EntryRow } from "../../../partials/work/time/entry-rows.tsx";
import { dayLabel, weekRangeLabel } from "../../../partials/work/time/format.ts";
import { StatusBadge, TimeFlash, type WorkChoicesView } from "../../../partials/work/time/parts.tsx";
import { TimerPanel, type TimerPanelProps } from "../../../partials/work/time/timer-panel.tsx";
import { WeekGrid } from "./week-grid.tsx";

export type WeekPageProps = {
  week: WeekSummary;
  weekLabel: string;
  today: string;
  /** Someone else's week (read-only, for an approver); null for one's own. */
  person: { id: string; name: string } | null;
  links: { previous: string; next: string; current: string; approval: string | null; team: string | null };
  /** The timer panel; null on someone else's week. */
  timer: TimerPanelProps | null;
  choices: WorkChoicesView;
  add: { values: EntryFormValues; errors: FormErrors };
  editing: { id: string; values: EntryFormValues; errors: FormErrors } | null;
  flash: { kind: "notice" | "error"; text: string } | null;
  csrf: string | null;
};

/** /time: a person's week (Monday to Sunday), its entries and totals, the timer and the submit button. */
export function WeekPage(props: WeekPageProps) {
  const { week } = props;
  const own = props.person === null;
  const editable = own && !week.locked;
  return (
    <div class="time-page">
      <header class="time-header">
        <div>
          <h1 class="time-title">{own ? "My week" : `${props.person?.name}’s week`}</h1>
          <p class="muted">
            {props.weekLabel} · {weekRangeLabel(week.weekStart, week.weekEnd)} ·{" "}
            <strong>{formatMinutes(week.minutes)}</strong>
            {week.billableMinutes ? ` (${formatMinutes(week.billableMinutes)} billable)` : ""}
          </p>
        </div>
        <StatusBadge status={week.status} />
      </header>
      <nav class="time-week-nav" aria-label="Weeks">
        <a href={props.links.previous}>← Previous week</a>
        <a href={props.links.current}>This week</a>
        <a href={props.links.next}>Next week →</a>
        {props.links.team ? <a href={props.links.team}>Team</a> : null}
        <a href="/time/totals">Totals</a>
        {own ? <a href={`/time/draft?week=${week.weekStart}`}>Draft from my work</a> : null}
      </nav>
      <TimeFlash flash={props.flash} />
      {props.timer ? <TimerPanel {...props.timer} /> : null}
      <LockNotice {...props} />
      <section aria-labelledby="week-grid-heading">
        <h2 id="week-grid-heading">Week</h2>
        {week.entries.length ? (
          <WeekGrid week={week} today={props.today} />
        ) : (
          <p class="empty-state">
            {own ? "No time logged this week. Add an entry below or start the timer." : "No time logged this week."}
          </p>
        )}
      </section>
      {week.entries.length ? <EntryList {...props} editable={editable} /> : null}
      {editable ? <AddEntryForm {...props} /> : null}
      {own && !week.locked && week.minutes > 0 ? <SubmitWeek weekStart={week.weekStart} csrf={props.csrf} /> : null}
    </div>
  );
}

function LockNotice(props: WeekPageProps) {
  if (!props.week.locked && props.week.status !== "rejected") return null;
  const text =
    props.week.status === "rejected"
      ? "This week's timesheet was rejected: correct it and submit it again."
      : `This week is ${props.week.status} and locked: its entries are read-only until an approver reopens it.`;
  return (
    <p class={`time-lock time-lock-${props.week.status}`} role="status">
      {text}
      {props.links.approval ? (
        <>
          {" "}
          <a href={props.links.approval}>See the approval request</a>.
        </>
      ) : null}
    </p>
  );
}

function EntryList(props: WeekPageProps & { editable: boolean }) {
  const { week } = props;
  return (
    <section aria-labelledby="entries-heading">
      <h2 id="entries-heading">Entries</h2>
      <div class="overflow-auto">
        <table class="time-entries">
          <thead>
            <tr>
              <th scope="col">Task or project</th>
              <th scope="col">Note</th>
              <th scope="col">
                <span class="visually-hidden">Billing</span>
              </th>
              <th scope="col">Time</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {week.byDay
            .filter((day) => day.minutes > 0)
            .map((day) => (
              <tbody>
                <tr class="time-day-row">
                  <th scope="rowgroup" colspan={3}>
                    {dayLabel(day.date)}
                  </th>
                  <td class="time-minutes" title={formatMinutes(day.minutes)}>
                    {formatHours(day.minutes)}
                  </td>
                  <td />
                </tr>
                {week.entries
                  .filter((entry) => entry.date === day.date)
                  .map((entry) =>
                    props.editing?.id === entry.id ? (
                      <EntryEditRow
                        entry={entry}
                        values={props.editing.values}
                        errors={props.editing.errors}
                        choices={props.choices}
                        weekStart={week.weekStart}
                        csrf={props.csrf}
                      />
                    ) : (
                      <EntryRow entry={entry} editable={props.editable} weekStart={week.weekStart} csrf={props.csrf} />
                    ),
                  )}
              </tbody>
            ))}
        </table>
      </div>
    </section>
  );
}

function AddEntryForm(props: WeekPageProps) {
  const { values, errors } = props.add;
  return (
    <section aria-labelledby="add-entry-heading">
      <h2 id="add-entry-heading">Add time</h2>
      <form id="add-entry" method="post" action="/time/entries" hx-post="/time/entries" hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <input type="hidden" name="week" value={props.week.weekStart} />
        {errors.form ? (
          <p class="form-message form-message-error" role="alert">
            {errors.form}
          </p>
        ) : null}
        <EntryFields
          idPrefix="add"
          values={values}
          errors={errors}
          choices={props.choices}
          minDate={props.week.weekStart}
          maxDate={props.week.weekEnd}
        />
        <button type="submit" class="time-button">
          Add entry
        </button>
      </form>
    </section>
  );
}

function SubmitWeek(props: { weekStart: string; csrf: string | null }) {
  return (
    <section class="time-submit" aria-labelledby="submit-heading">
      <h2 id="submit-heading" class="visually-hidden">
        Submit
      </h2>
      <form
        class="time-submit-form"
        method="post"
        action="/time/submit"
        hx-post="/time/submit"
        hx-target="#main"
        hx-confirm="Submit this week for approval? Its entries are locked until it is decided."
      >
        <CsrfField token={props.csrf} />
        <input type="hidden" name="weekStart" value={props.weekStart} />
        <button type="submit" class="time-button">
          Submit week
        </button>
        <small class="muted"> Sends the week to your team lead (or a manager) for approval.</small>
      </form>
    </section>
  );
}
