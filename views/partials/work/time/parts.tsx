/** @jsxImportSource hono/jsx */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { HtmlEscapedString } from "hono/utils/html";
import type { TimesheetStatus } from "../../../../models/time.ts";
import { FormMessage } from "../../../pages/auth/form-parts.tsx";

/** Small pieces the time pages share: the week's status, the work picker, a duration. */

const statusText: Record<TimesheetStatus, string> = {
  open: "Open",
  submitted: "Submitted · waiting for approval",
  approved: "Approved · locked",
  rejected: "Rejected · open for changes",
};

export function StatusBadge(props: { status: TimesheetStatus; short?: boolean }) {
  const text = props.short ? (statusText[props.status].split(" · ")[0] ?? props.status) : statusText[props.status];
  return (
    <span class={`status timesheet-status timesheet-${props.status}`} data-status={props.status}>
      {text}
    </span>
  );
}

export type Choice = { value: string; label: string };

/** A page's message after a change: a notice (status) or an error (alert). */
export function TimeFlash(props: { flash: { kind: "notice" | "error"; text: string } | null }) {
  const { flash } = props;
  return (
    <FormMessage
      error={flash?.kind === "error" ? flash.text : null}
      notice={flash?.kind === "notice" ? flash.text : null}
    />
  );
}
export type WorkChoicesView = { tasks: Choice[]; myProjects: Choice[]; projects: Choice[]; moreProjects: boolean };

/** One select for what the time is for: my open tasks first, then my projects, then other active projects. */
export function WorkSelect(props: {
  id: string;
  value: string;
  choices: WorkChoicesView;
  /** The current choice when it is not among the usual ones (a done task, an archived project). */
  current?: Choice | null;
  error?: string | undefined;
}) {
  const { choices } = props;
  const known = [...choices.tasks, ...choices.myProjects, ...choices.projects].some(
    (choice) => choice.value === props.value,
  );
  const errorId = `${props.id}-error`;
  return (
    <label for={props.id}>
      Task or project
      <select
        id={props.id}
        name="work"
        required
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? errorId : undefined}
      >
        <option value="" selected={props.value === ""}>
          Choose…
        </option>
        {props.current && !known ? (
          <option value={props.current.value} selected>
            {props.current.label}
          </option>
        ) : null}
        {optionGroups(choices, props.value)}
      </select>
      {props.error ? <small id={errorId}>{props.error}</small> : null}
    </label>
  );
}

/**
 * The option groups as markup, made once per choices object while nothing is selected (the
 * usual case: the week page draws the picker twice per load, a few hundred options each). The
 * choices come from a cache shared until the next write (server/work/time/choices.ts), so the
 * same object means the same options.
 */
const renderedGroups = new WeakMap<WorkChoicesView, HtmlEscapedString>();

function optionGroups(choices: WorkChoicesView, value: string): Child {
  if (value !== "") return <OptionGroups choices={choices} value={value} />;
  let html = renderedGroups.get(choices);
  if (!html) {
    html = raw(String(<OptionGroups choices={choices} value={value} />));
    renderedGroups.set(choices, html);
  }
  return html;
}

function OptionGroups({ choices, value }: { choices: WorkChoicesView; value: string }) {
  return (
    <>
      {choices.tasks.length ? (
        <optgroup label="My open tasks">
          {choices.tasks.map((choice) => (
            <option value={choice.value} selected={choice.value === value}>
              {choice.label}
            </option>
          ))}
        </optgroup>
      ) : null}
      {choices.myProjects.length ? (
        <optgroup label="My projects">
          {choices.myProjects.map((choice) => (
            <option value={choice.value} selected={choice.value === value}>
              {choice.label}
            </option>
          ))}
        </optgroup>
      ) : null}
      <optgroup
        label={
          choices.moreProjects
            ? `Other projects (the first ${choices.projects.length} by code; join a project to list it above)`
            : choices.myProjects.length
              ? "Other projects"
              : "Projects"
        }
      >
        {choices.projects.map((choice) => (
          <option value={choice.value} selected={choice.value === value}>
            {choice.label}
          </option>
        ))}
      </optgroup>
    </>
  );
}
