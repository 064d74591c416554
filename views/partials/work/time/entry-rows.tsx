/** @jsxImportSource hono/jsx */

import { formatHours, formatMinutes } from "../../../../server/tools/durations.ts";
import type { EntryFormValues, FormErrors } from "../../../../server/work/time/entry-form.ts";
import type { WeekEntry } from "../../../../server/work/time/week.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { type Choice, type WorkChoicesView, WorkSelect } from "./parts.tsx";

export function workLabelOf(entry: Pick<WeekEntry, "taskTitle" | "projectName">): string {
  if (entry.taskTitle) return entry.projectName ? `${entry.taskTitle} (${entry.projectName})` : entry.taskTitle;
  return entry.projectName ?? "No project";
}

/** The entry's current task or project as a choice, for an edit form whose list lacks it. */
export function currentChoiceOf(entry: WeekEntry): Choice | null {
  if (entry.taskId) return { value: `task:${entry.taskId}`, label: entry.taskTitle ?? "Task" };
  if (entry.projectId) return { value: `project:${entry.projectId}`, label: entry.projectName ?? "Project" };
  return null;
}

/** One entry in the week's list; `editable` shows Edit and Delete (own, open week, not billed). */
export function EntryRow(props: { entry: WeekEntry; editable: boolean; weekStart: string; csrf: string | null }) {
  const { entry } = props;
  const canChange = props.editable && !entry.invoiceLineId;
  return (
    <tr id={`entry-${entry.id}`} class="time-entry">
      <td>{workLabelOf(entry)}</td>
      <td class="time-note">{entry.note}</td>
      <td>
        {entry.billable ? <span class="time-billable">Billable</span> : null}
        {entry.invoiceLineId ? <span class="status time-billed">Billed</span> : null}
      </td>
      <td class="time-minutes" title={formatMinutes(entry.minutes)}>
        {formatHours(entry.minutes)}
      </td>
      <td>
        {canChange ? (
          <div class="time-row-actions">
            <a
              href={`/time?week=${props.weekStart}&edit=${entry.id}#entry-${entry.id}`}
              hx-get={`/time/entries/${entry.id}/edit`}
              hx-target="closest tr"
              hx-swap="outerHTML"
              class="compact"
              aria-label={`Edit the entry of ${formatMinutes(entry.minutes)} on ${workLabelOf(entry)}`}
            >
              Edit
            </a>
            <form
              method="post"
              action={`/time/entries/${entry.id}/delete`}
              hx-post={`/time/entries/${entry.id}/delete`}
              hx-target="#main"
              hx-confirm={`Delete ${formatMinutes(entry.minutes)} on ${workLabelOf(entry)}?`}
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="time-button secondary outline compact">
                Delete
              </button>
            </form>
          </div>
        ) : null}
      </td>
    </tr>
  );
}

type EntryFieldsProps = {
  idPrefix: string;
  values: EntryFormValues;
  errors: FormErrors;
  choices: WorkChoicesView;
  current?: Choice | null;
  minDate?: string;
  maxDate?: string;
};

/** Date, time, task or project, note and billable: the fields of the add and the edit form. */
export function EntryFields(props: EntryFieldsProps) {
  const { values, errors, idPrefix } = props;
  const invalid = (field: string) => (errors[field] ? "true" : undefined);
  return (
    <div class="time-entry-fields">
      <label>
        Date
        <input
          type="date"
          name="date"
          value={values.date}
          min={props.minDate}
          max={props.maxDate}
          required
          aria-invalid={invalid("date")}
        />
        {errors.date ? <small>{errors.date}</small> : null}
      </label>
      <label>
        Time
        <input
          name="duration"
          value={values.duration}
          placeholder="1:30"
          inputmode="decimal"
          required
          aria-invalid={invalid("duration")}
          aria-describedby={`${idPrefix}-duration-help`}
        />
        <small id={`${idPrefix}-duration-help`}>{errors.duration ?? "1:30, 1.5 (hours) or 45m"}</small>
      </label>
      <WorkSelect
        id={`${idPrefix}-work`}
        value={values.work}
        choices={props.choices}
        current={props.current ?? null}
        error={errors.work}
      />
      <label class="time-note-field">
        Note
        <input name="note" value={values.note} maxlength={2000} aria-invalid={invalid("note")} />
        {errors.note ? <small>{errors.note}</small> : null}
      </label>
      <label class="time-billable-field">
        <input type="checkbox" name="billable" checked={values.billable} />
        Billable
      </label>
    </div>
  );
}

export type EntryEditRowProps = {
  entry: WeekEntry;
  values: EntryFormValues;
  errors: FormErrors;
  choices: WorkChoicesView;
  weekStart: string;
  csrf: string | null;
};

/** The entry as an inline form (htmx swaps it in place of its row). */
export function EntryEditRow(props: EntryEditRowProps) {
  const url = `/time/entries/${props.entry.id}`;
  return (
    <tr id={`entry-${props.entry.id}`} class="time-entry editing">
      <td colspan={5} class="time-edit-cell">
        <form method="post" action={url} hx-post={url} hx-target="#main" class="time-edit-form" novalidate>
          <CsrfField token={props.csrf} />
          {props.errors.form ? (
            <p class="form-message form-message-error" role="alert">
              {props.errors.form}
            </p>
          ) : null}
          <EntryFields
            idPrefix={`edit-${props.entry.id}`}
            values={props.values}
            errors={props.errors}
            choices={props.choices}
            current={currentChoiceOf(props.entry)}
          />
          <div class="time-form-actions">
            <button type="submit" class="time-button compact">
              Save
            </button>
            <a href={`/time?week=${props.weekStart}`} class="time-cancel">
              Cancel
            </a>
          </div>
        </form>
      </td>
    </tr>
  );
}
