/** @jsxImportSource hono/jsx */

import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DraftPage } from "../../../../views/pages/work/time/draft.tsx";
import { renderPage } from "../../../console/render.tsx";
import type { GithubWeek } from "../../../github/week-commits.ts";
import { redirectTo } from "../../../http/console-forms.ts";
import type { AppEnv } from "../../../http/env.ts";
import type { ErrorDetail } from "../../../http/errors.ts";
import { requirePermission, serviceContext } from "../../../http/guards.ts";
import { isHtmxRequest } from "../../../http/htmx.ts";
import { type FormSpec, type PostedForm, validateForm } from "../../../http/validate-form.ts";
import { todayUtc, weekStartOf } from "../../../tools/days.ts";
import { dayParam } from "../week-render.tsx";
import { draftDeps } from "./api.ts";
import { type DraftFormValues, type DraftState, draftHref, draftPageProps } from "./console-props.ts";
import { acceptDraftInput, discardDraftInput } from "./schemas.ts";
import { acceptSuggestions, discardSuggestions, draftWeek, githubWeekOf } from "./service.ts";

async function renderDraft(
  c: Context<AppEnv>,
  week: string,
  state: DraftState = {},
  status: ContentfulStatusCode = 200,
  github?: GithubWeek,
) {
  const draft = await draftWeek(serviceContext(c), week, draftDeps(c), github);
  return renderPage(
    c,
    { title: "Timesheet draft", current: "/time" },
    <DraftPage {...draftPageProps(c, draft, state)} />,
    status,
  );
}

/** The posted fields keyed by suggestion (`minutes:<key>` …). */
function keyed(form: PostedForm, prefix: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of form.names()) if (name.startsWith(prefix)) values[name.slice(prefix.length)] = form.text(name);
  return values;
}

function draftValues(form: PostedForm): DraftFormValues {
  return {
    week: form.text("week"),
    picks: form.list("pick"),
    minutes: keyed(form, "minutes:"),
    notes: keyed(form, "note:"),
    projects: keyed(form, "project:"),
  };
}

/** `suggestions.2.minutes` → `<the third chosen key>:minutes`; anything else is about the whole form. */
function fieldsOf(details: ErrorDetail[], values: DraftFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const detail of details) {
    const [list, index, field] = detail.path.split(".");
    const key = list === "suggestions" && index !== undefined ? values.picks[Number(index)] : undefined;
    errors[key && field ? `${key}:${field}` : "form"] ??= detail.message;
  }
  return errors;
}

const weekOf = (values: DraftFormValues) => weekStartOf(dayParam(values.week) ?? todayUtc());

function refusedPage(
  c: Context<AppEnv>,
  values: DraftFormValues,
  errors: Record<string, string>,
  status: ContentfulStatusCode,
  message?: string,
) {
  const shown = message && !errors.form ? { ...errors, form: message } : errors;
  return renderDraft(c, weekOf(values), { values, errors: shown }, status);
}

const acceptForm: FormSpec<DraftFormValues> = {
  values: draftValues,
  input: (values) => ({
    week: values.week,
    suggestions: values.picks.map((key) => {
      const minutes = values.minutes[key]?.trim() ?? "";
      const project = values.projects[key];
      return {
        key,
        ...(minutes ? { minutes: /^\d+$/.test(minutes) ? Number(minutes) : minutes } : {}),
        ...(values.notes[key] !== undefined ? { note: values.notes[key] } : {}),
        ...(project ? { projectId: project } : {}),
      };
    }),
  }),
  fields: fieldsOf,
  invalid: (c, values, { errors, status, message }) => refusedPage(c, values, errors, status, message),
};

const discardForm: FormSpec<DraftFormValues> = {
  values: draftValues,
  input: (values) => ({ week: values.week, keys: values.picks }),
  fields: fieldsOf,
  invalid: (c, values, { errors, status, message }) => refusedPage(c, values, errors, status, message),
};

/** After a change: htmx gets the draft again with a notice, a plain form a redirect to it. */
function doneWith(c: Context<AppEnv>, week: string, text: string, github?: GithubWeek) {
  if (!isHtmxRequest(c)) return redirectTo(c, draftHref(week));
  return renderDraft(c, week, { flash: { kind: "notice", text } }, 200, github);
}

/** /time/draft: the person's own week drafted from their work, accepted or discarded suggestion by suggestion. */
export const draftConsole = new Hono<AppEnv>()
  .get("/", requirePermission("tasks.write"), (c) =>
    renderDraft(c, weekStartOf(dayParam(c.req.query("week")) ?? todayUtc())),
  )
  .post("/accept", requirePermission("tasks.write"), validateForm(acceptDraftInput, acceptForm), async (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const ctx = serviceContext(c);
      // GitHub is asked once: the page drawn after the accept uses the same commits.
      const github = await githubWeekOf(ctx, input.week, draftDeps(c));
      const entries = acceptSuggestions(ctx, await draftWeek(ctx, input.week, draftDeps(c), github), input);
      return doneWith(
        c,
        input.week,
        `Added ${entries.length} time ${entries.length === 1 ? "entry" : "entries"} to your week.`,
        github,
      );
    } catch (error) {
      return refused(error);
    }
  })
  .post("/discard", requirePermission("tasks.write"), validateForm(discardDraftInput, discardForm), (c) => {
    const { input } = c.req.valid("form");
    const count = discardSuggestions(serviceContext(c), input);
    return doneWith(
      c,
      input.week,
      `Discarded ${count} ${count === 1 ? "suggestion" : "suggestions"}: they are not suggested again this week.`,
    );
  });
