import { AppError, type ErrorDetail } from "../../http/errors.ts";
import type { FormRefusal, PostedForm } from "../../http/validate-form.ts";
import { workOfChoice } from "./choices.ts";

/** What the add/edit entry form holds, as typed: handed back unchanged on a 422. */
export type EntryFormValues = { date: string; duration: string; work: string; note: string; billable: boolean };
export type FormErrors = Record<string, string>;

export function entryFormValues(form: PostedForm): EntryFormValues {
  return {
    date: form.text("date"),
    duration: form.text("duration"),
    work: form.text("work"),
    note: form.text("note"),
    billable: form.text("billable") === "on" || form.text("billable") === "true",
  };
}

/**
 * Reads a duration as people type it: `1:30`, `1.5` or `1,5` (hours), `2` (hours), `45m`,
 * `1h 30m`. Null when it is none of these.
 */
export function parseDuration(text: string): number | null {
  const value = text.trim().toLowerCase().replace(/\s+/g, "");
  if (value === "") return null;
  const clock = /^(\d{1,2}):([0-5]\d)$/.exec(value);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]);
  const hours = /^(\d{1,2}(?:[.,]\d{1,2})?)h?$/.exec(value);
  if (hours?.[1]) return Math.round(Number(hours[1].replace(",", ".")) * 60);
  const minutes = /^(\d{1,4})(?:m|min)$/.exec(value);
  if (minutes) return Number(minutes[1]);
  const both = /^(\d{1,2})h(\d{1,2})(?:m|min)?$/.exec(value);
  if (both) return Number(both[1]) * 60 + Number(both[2]);
  return null;
}

/** The form's fields as the API's input (`createTimeEntryInput`); a duration it cannot read is left out. */
export function entryInputOf(values: EntryFormValues) {
  return {
    date: values.date,
    minutes: parseDuration(values.duration) ?? undefined,
    ...workOfChoice(values.work),
    note: values.note,
    billable: values.billable,
  };
}

/** What the schema cannot say: a duration typed in none of the known ways. */
export function entryDurationErrors(values: EntryFormValues): FormErrors {
  if (parseDuration(values.duration) !== null) return {};
  const errors: FormErrors = { duration: "Enter the time like 1:30, 1.5 (hours) or 45m." };
  if (!values.work) errors.work = "Choose a task or a project.";
  return errors;
}

/** Field details of the API (`minutes`, `taskId`…) as the form's fields (`duration`, `work`…). */
export function formErrorsOf(details: ErrorDetail[]): FormErrors {
  const fieldOf: Record<string, string> = { minutes: "duration", taskId: "work", projectId: "work", weekStart: "form" };
  const errors: FormErrors = {};
  for (const detail of details) {
    const field = fieldOf[detail.path] ?? (detail.path || "form");
    errors[field] ??= detail.message;
  }
  return errors;
}

/**
 * A refused change as form errors: a 422's fields, or the message of a 409/403 for the whole form
 * (also as `message`, for forms that show it apart). Anything else goes on to the error page.
 */
export function entryRefusal(error: unknown): FormRefusal {
  if (!isRefusal(error)) throw error;
  const status = error.status as FormRefusal["status"];
  if (error.code === "validation_failed" && error.details.length)
    return { errors: formErrorsOf(error.details), status };
  return {
    errors: { form: error.message },
    status,
    ...(error.code === "validation_failed" ? {} : { message: error.message }),
  };
}

/** The refusals an entry's forms show: a 422, a 409 (a locked week) or a 403. */
export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && ["validation_failed", "conflict", "forbidden"].includes(error.code);
}
