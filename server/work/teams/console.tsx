/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { TeamFormPage, type TeamFormValues, TeamPage } from "../../../views/pages/work/teams/form.tsx";
import { TeamsListPage } from "../../../views/pages/work/teams/list.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { namesOf } from "../../members/directory.ts";
import { queryString } from "../../tools/query-string.ts";
import {
  type FormRefusal,
  mayManageProjects,
  orNull,
  type Posted,
  peopleOptions,
  readPosted,
  refusalFrom,
  refusalFromZod,
} from "../projects/console-kit.ts";
import { createTeam, deleteTeam, updateTeam } from "./changes.ts";
import { createTeamInput, updateTeamInput } from "./schemas.ts";
import { findTeamById, listTeams, type TeamRecord, teamEtag, teamOrNotFound } from "./service.ts";

const listQuery = z.object({ cursor: z.string().max(500).optional().catch(undefined) });

/** /teams pages: the list, create, and one team's page (its edit form for people who manage teams). */
export const teamsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("workspace.read"), (c) => {
    const ctx = serviceContext(c);
    const { cursor } = listQuery.parse(c.req.query());
    const page = listTeams(ctx, { limit: 50, cursor });
    const names = namesOf(ctx.db, ctx.orgId, [...page.data.flatMap((team) => [team.leadId, ...team.memberIds])]);
    return renderPage(
      c,
      { title: "Teams", current: "/projects" },
      <TeamsListPage
        teams={page.data.map((team) => ({
          id: team.id,
          name: team.name,
          leadName: team.leadId ? (names.get(team.leadId) ?? null) : null,
          memberNames: team.memberIds.map((id) => names.get(id) ?? id),
        }))}
        moreHref={page.nextCursor ? `/teams${queryString({ cursor: page.nextCursor })}` : null}
        canManage={mayManageProjects(c)}
      />,
    );
  })
  .get("/new", requirePermission("projects.manage"), (c) =>
    renderForm(c, null, { name: "", leadId: "", memberIds: [] }, {}),
  )
  .post("/", requirePermission("projects.manage"), async (c) => {
    const values = valuesOf(await readPosted(c));
    const parsed = createTeamInput.safeParse(inputOf(values));
    if (!parsed.success) return renderForm(c, null, values, refusalFromZod(parsed.error));
    try {
      createTeam(serviceContext(c), parsed.data);
      return redirectTo(c, "/teams");
    } catch (error) {
      return renderForm(c, null, values, refusalFrom(error));
    }
  })
  .get("/:id", requirePermission("workspace.read"), (c) => {
    const record = teamOrNotFound(serviceContext(c), c.req.param("id"));
    if (mayManageProjects(c)) {
      return renderForm(c, record, { name: record.name, leadId: record.leadId ?? "", memberIds: record.memberIds }, {});
    }
    const names = namesOf(serviceContext(c).db, serviceContext(c).orgId, [record.leadId, ...record.memberIds]);
    return renderPage(
      c,
      { title: record.name, current: "/projects" },
      <TeamPage
        name={record.name}
        leadName={record.leadId ? (names.get(record.leadId) ?? null) : null}
        memberNames={record.memberIds.map((id) => names.get(id) ?? id)}
      />,
    );
  })
  .post("/:id", requirePermission("projects.manage"), async (c) => {
    const record = teamOrNotFound(serviceContext(c), c.req.param("id"));
    const posted = await readPosted(c);
    const values = valuesOf(posted);
    const parsed = updateTeamInput.safeParse(inputOf(values));
    if (!parsed.success) return renderForm(c, record, values, refusalFromZod(parsed.error));
    try {
      updateTeam(serviceContext(c), record.id, parsed.data, posted.text("etag") || undefined);
      return redirectTo(c, "/teams");
    } catch (error) {
      const current = findTeamById(serviceContext(c), record.id) ?? record;
      return renderForm(c, current, values, refusalFrom(error));
    }
  })
  .post("/:id/delete", requirePermission("projects.manage"), (c) => {
    deleteTeam(serviceContext(c), teamOrNotFound(serviceContext(c), c.req.param("id")).id);
    return redirectTo(c, "/teams");
  });

function valuesOf(posted: Posted): TeamFormValues {
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
    <TeamFormPage
      teamId={record?.id ?? null}
      values={values}
      errors={errors}
      people={peopleOptions(serviceContext(c), [record?.leadId ?? null, ...(record?.memberIds ?? [])])}
      etag={record ? teamEtag(record) : undefined}
      csrf={formCsrf(c)}
    />,
    status,
  );
}
