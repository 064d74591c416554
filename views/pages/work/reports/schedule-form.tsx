/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../../components/csrf-field.tsx";
import type { FieldErrors, Option } from "../../../components/form-fields.tsx";
import { SelectField, TextField } from "../../../components/form-fields.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";

/** The form as typed: every field a string, the checkboxes as lists. */
export type ScheduleFormValues = {
  name: string;
  report: string;
  period: string;
  weeks: string;
  frequency: string;
  weekday: string;
  monthDay: string;
  hour: string;
  recipientIds: string[];
  formats: string[];
  enabled: boolean;
};

export type ScheduleFormProps = {
  /** Null for a new schedule. */
  id: string | null;
  values: ScheduleFormValues;
  errors: FieldErrors;
  timeZone: string;
  options: {
    reports: Option[];
    periods: Option[];
    weeks: Option[];
    weekdays: Option[];
    hours: Option[];
    /** Members, with what their role lets them see. */
    people: (Option & { hint: string })[];
  };
  csrf: string | null;
};

/** /reports/schedules/new and /reports/schedules/{id}/edit. */
export function ScheduleFormPage(props: ScheduleFormProps) {
  const { values, errors, options } = props;
  const action = props.id ? `/reports/schedules/${props.id}` : "/reports/schedules";
  return (
    <article class="work-page work-form" id="schedule-form">
      <header>
        <p class="work-breadcrumbs">
          <a href="/reports">Reports</a> › <a href="/reports/schedules">Scheduled reports</a>
        </p>
        <h1>{props.id ? `Edit "${values.name}"` : "Schedule a report"}</h1>
      </header>
      <form method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <FormMessage error={errors.form} />
        <TextField label="Name" name="name" value={values.name} error={errors.name} required maxlength={120} />
        <SelectField
          label="Report"
          name="report"
          value={values.report}
          options={options.reports}
          error={errors.report}
        />
        <div class="grid">
          <SelectField
            label="Period"
            name="period"
            value={values.period}
            options={options.periods}
            error={errors.period}
            hint="Counted from the day it is sent; days are UTC days as on the Reports page."
          />
          <SelectField
            label="Tasks completed: weeks"
            name="weeks"
            value={values.weeks}
            options={options.weeks}
            error={errors.weeks}
          />
        </div>
        <fieldset>
          <legend>When ({props.timeZone})</legend>
          <div class="grid">
            <SelectField
              label="Every"
              name="frequency"
              value={values.frequency}
              options={[
                { value: "weekly", label: "Week" },
                { value: "monthly", label: "Month" },
              ]}
              error={errors.frequency}
            />
            <SelectField
              label="Weekday (weekly)"
              name="weekday"
              value={values.weekday}
              options={options.weekdays}
              error={errors.weekday}
            />
            <TextField
              label="Day of the month (monthly)"
              name="monthDay"
              value={values.monthDay}
              error={errors.monthDay}
              inputmode="numeric"
              hint="1–31; 29–31 fall on the last day of shorter months."
            />
            <SelectField label="Hour" name="hour" value={values.hour} options={options.hours} error={errors.hour} />
          </div>
        </fieldset>
        <fieldset aria-invalid={errors.recipientIds ? "true" : undefined}>
          <legend>Send to</legend>
          {options.people.map((person) => (
            <label>
              <input
                type="checkbox"
                name="recipientIds"
                value={person.value}
                checked={values.recipientIds.includes(person.value)}
              />{" "}
              {person.label} <span class="muted">· {person.hint}</span>
            </label>
          ))}
          {errors.recipientIds ? <small id="recipientIds-help">{errors.recipientIds}</small> : null}
        </fieldset>
        <fieldset aria-invalid={errors.formats ? "true" : undefined}>
          <legend>Attach</legend>
          {[
            ["csv", "CSV"],
            ["pdf", "PDF"],
          ].map(([value, label]) => (
            <label>
              <input type="checkbox" name="formats" value={value} checked={values.formats.includes(value ?? "")} />{" "}
              {label}
            </label>
          ))}
          {errors.formats ? <small id="formats-help">{errors.formats}</small> : null}
        </fieldset>
        <label>
          <input type="checkbox" name="enabled" value="on" checked={values.enabled} /> Send on this schedule
        </label>
        <button type="submit">{props.id ? "Save" : "Schedule"}</button>
      </form>
    </article>
  );
}
