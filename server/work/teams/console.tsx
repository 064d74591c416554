/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { TeamFormPage, type TeamFormValues, TeamPage } from "../../../views/pages/work/teams/form.tsx";
import { TeamsListPage } from "../../../views/pages/work/teams/list.tsx";
import { renderPage } from "../../console/render.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormRefusal, type FormSpec, type PostedForm, validateForm } from "../../http/validate-form.ts";
import { mayManageProjects, orNull } from "../projects/console-kit.ts";
import { createTeam, deleteTeam, updateTeam } from "./changes.ts";
import { teamFormProps, teamFormValues, teamPageProps, teamsListProps } from "./console-props.ts";
import { createTeamInput, updateTeamInput } from "./schemas.ts";
import { listTeams, type TeamRecord, teamOrNotFound } from "./service.ts";

const listQuery = z.object({ cursor: z.string().max(500).optional().catch(undefined) });

const newTeamForm: FormSpec<TeamFormValues> = {
  values: valuesOf,
  input: inputOf,
  invalid: (c, values, refusal) => renderForm(c, null, values, refusal),
};

const editTeamForm: FormSpec<TeamFormValues> = {
  values: valuesOf,
  input: inputOf,
  // Drawn from the current version, keeping what this person typed.
  invalid: (c, values, refusal) =>
    renderForm(c, teamOrNotFound(serviceContext(c), c.req.param("id") ?? ""), values, refusal),
};

/** /teams pages: the list, create, and one team's page (its edit form for people who manage teams). */
export const teamsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const { cursor } = listQuery.parse(c.req.query());
    const page = listTeams(ctx, { limit: 50, cursor });
    return renderPage(c, { title: "Teams", current: "/projects" }, <TeamsListPage {...teamsListProps(c, page)} />);
  })
  .get("/new", requirePermission("projects.manage"), (c) =>
    renderForm(c, null, { name: "", leadId: "", memberIds: [] }, {}),
  )
  .post("/", requirePermission("projects.manage"), validateForm(createTeamInput, newTeamForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      createTeam(serviceContext(c), input);
      return redirectTo(c, "/teams");
    } catch (error) {
      return refused(error);
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const record = teamOrNotFound(serviceContext(c), c.req.param("id"));
    if (mayManageProjects(c)) {
      return renderForm(c, record, teamFormValues(record), {});
    }
    return renderPage(c, { title: record.name, current: "/projects" }, <TeamPage {...teamPageProps(c, record)} />);
  })
  .post("/:id", requirePermission("projects.manage"), validateForm(updateTeamInput, editTeamForm), (c) => {
    const record = teamOrNotFound(serviceContext(c), c.req.param("id") ?? "");
    const { input, form, refused } = c.req.valid("form");
    try {
      updateTeam(serviceContext(c), record.id, input, form.text("etag") || undefined);
      return redirectTo(c, "/teams");
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/delete", requirePermission("projects.manage"), (c) => {
    deleteTeam(serviceContext(c), teamOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, "/teams");
  });

function valuesOf(posted: PostedForm): TeamFormValues {
  return { name: posted.text("name"), leadId: posted.text("leadId"), memberIds: posted.list("memberIds") };
}

function inputOf(values: TeamFormValues) {
  return { name: values.name, leadId: orNull(values.leadId), memberIds: values.memberIds };
}

function renderForm(
  c: Context<AppEnv>,
  record: TeamRecord | null,
  values: TeamFormValues,
  refusal: FormRefusal | Record<string, never>,
) {
  const errors = "errors" in refusal ? refusal.errors : {};
  const status: ContentfulStatusCode = "status" in refusal ? refusal.status : 200;
  return renderPage(
    c,
    { title: record ? record.name : "New team", current: "/projects" },
    <TeamFormPage {...teamFormProps(c, record, values, errors)} />,
    status,
  );
}
