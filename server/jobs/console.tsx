/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { JobsPage } from "../../views/pages/settings/jobs.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { jobsPageProps } from "./console-props.ts";
import { cancelInput, releaseInput } from "./schemas.ts";
import { cancelJobRun, readerOf, releaseJob } from "./service.ts";

const page = { title: "Background jobs", current: "/settings/users" };

const notices: Record<string, string> = {
  cancelled: "The run was cancelled.",
  released: "The job was released: it runs again on its schedule.",
};

/** Both forms carry only hidden fields: a refusal shows the page with the first error on top. */
function formSpec<T extends Record<string, string>>(names: (keyof T & string)[]): FormSpec<T> {
  return {
    values: (form) => Object.fromEntries(names.map((name) => [name, form.text(name)])) as T,
    invalid: (c, _values, { errors, status }) =>
      renderPage(c, page, <JobsPage {...jobsPageProps(c, { error: Object.values(errors)[0] ?? null })} />, status),
  };
}

/** /jobs: admins watch background work, cancel runs and release quarantined jobs. */
export const jobsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("agents.manage"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    return renderPage(c, page, <JobsPage {...jobsPageProps(c, { notice })} />);
  })
  .post("/cancel", requirePermission("agents.manage"), validateForm(cancelInput, formSpec(["runId"])), async (c) => {
    const ctx = serviceContext(c);
    await cancelJobRun(ctx, readerOf(ctx, isInstanceAdmin(c)), c.req.valid("form").input.runId, c.var.deps.jobs);
    return redirectTo(c, "/jobs?notice=cancelled");
  })
  .post(
    "/release",
    requirePermission("agents.manage"),
    validateForm(releaseInput, formSpec(["jobId", "scope"])),
    (c) => {
      const ctx = serviceContext(c);
      const { jobId, scope } = c.req.valid("form").input;
      releaseJob(ctx, readerOf(ctx, isInstanceAdmin(c)), jobId, scope);
      return redirectTo(c, "/jobs?notice=released");
    },
  );
