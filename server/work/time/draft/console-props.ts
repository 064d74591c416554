import type { Context } from "hono";
import type { DraftPageProps, DraftRow } from "../../../../views/pages/work/time/draft.tsx";
import { formCsrf } from "../../../http/console-forms.ts";
import type { AppEnv } from "../../../http/env.ts";
import { serviceContext } from "../../../http/guards.ts";
import { addDays } from "../../../tools/days.ts";
import { workChoicesOf } from "../choices.ts";
import type { Draft } from "./service.ts";

/** What the draft form holds: the chosen keys and, per key, the minutes, note and project typed. */
export type DraftFormValues = {
  week: string;
  picks: string[];
  minutes: Record<string, string>;
  notes: Record<string, string>;
  projects: Record<string, string>;
};

/** State of the page beyond the draft: what was typed (a refused form) and its errors, or a message. */
export type DraftState = {
  values?: DraftFormValues;
  /** `<key>:<field>` → message, or `form`. */
  errors?: Record<string, string>;
  flash?: DraftPageProps["flash"];
};

export const draftHref = (weekStart: string) => `/time/draft?week=${weekStart}`;

function rowOf(item: Draft["suggestions"][number], state: DraftState): DraftRow {
  const typed = state.values;
  const errors = state.errors ?? {};
  const error = (field: string) => errors[`${item.key}:${field}`];
  return {
    key: item.key,
    date: item.date,
    label: item.label,
    source: item.source,
    needsProject: !item.taskId && !item.projectId,
    checked: typed ? typed.picks.includes(item.key) : true,
    minutes: typed?.minutes[item.key] ?? String(item.minutes),
    note: typed?.notes[item.key] ?? item.note,
    project: typed?.projects[item.key] ?? "",
    evidence: item.evidence,
    errors: { minutes: error("minutes"), note: error("note"), projectId: error("projectId"), key: error("key") },
  };
}

/** The draft page's props: every suggestion ticked by default, or as the person left the form. */
export function draftPageProps(c: Context<AppEnv>, draft: Draft, state: DraftState = {}): DraftPageProps {
  const choices = workChoicesOf(serviceContext(c));
  const projects = [...choices.myProjects, ...choices.projects].map((choice) => ({
    value: choice.value.replace(/^project:/, ""),
    label: choice.label,
  }));
  const formError = state.errors?.form;
  return {
    weekStart: draft.weekStart,
    weekEnd: draft.weekEnd,
    status: draft.status,
    locked: draft.locked,
    github: draft.github,
    rows: draft.suggestions.map((item) => rowOf(item, state)),
    projects,
    links: {
      week: `/time?week=${draft.weekStart}`,
      previous: draftHref(addDays(draft.weekStart, -7)),
      next: draftHref(addDays(draft.weekStart, 7)),
      github: "/account/github",
    },
    flash: formError ? { kind: "error", text: formError } : (state.flash ?? null),
    csrf: formCsrf(c),
  };
}
