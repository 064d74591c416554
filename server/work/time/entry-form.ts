import { AppError, type ErrorDetail } from "../../http/errors.ts";
import type { PostedForm } from "../../http/validate-form.ts";
import { workOfChoice } from "./choices.ts";
import { type CreateTimeEntryInput, createTimeEntryInput } from "./schemas.ts";

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

/** The form's fields as the API's input; field errors keyed by the form's own field names. */
export function entryInputOf(
  values: EntryFormValues,
): { ok: true; input: CreateTimeEntryInput } | { ok: false; errors: FormErrors } {
  const minutes = parseDuration(values.duration);
  if (minutes === null) {
    const errors: FormErrors = { duration: "Enter the time like 1:30, 1.5 (hours) or 45m." };
    if (!values.work) errors.work = "Choose a task or a project.";
    return { ok: false, errors };
  }
  const parsed = createTimeEntryInput.safeParse({
    date: values.date,
    minutes,
    ...workOfChoice(values.work),
    note: values.note,
    billable: values.billable,
  });
  if (!parsed.success) {
    return {
      ok: false,
      errors: formErrorsOf(
        parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ""), message: issue.message })),
      ),
    };
  }
  return { ok: true, input: parsed.data };
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

/** A refused change as form errors: a 422's fields, or the message of a 409/403 for the whole form. */
export function errorsOfRefusal(error: AppError): FormErrors {
  if (error.code === "validation_failed" && error.details.length) return formErrorsOf(error.details);
  return { form: error.message };
}

export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError && ["validation_failed", "conflict", "forbidden"].includes(error.code);
}
