import type { Context } from "hono";
import type { TeamFormProps, TeamFormValues, TeamPageProps } from "../../../views/pages/work/teams/form.tsx";
import type { TeamsListProps } from "../../../views/pages/work/teams/list.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { namesOf } from "../../members/directory.ts";
import { queryString } from "../../tools/query-string.ts";
import { mayManageProjects } from "../projects/console-kit.ts";
import { peopleOptions } from "../projects/console-props.ts";
import { type listTeams, type TeamRecord, teamEtag } from "./service.ts";

/** The team pages' props: teams with their people by name, and the form. */

/** The list: a page of teams, lead and members by name. */
export function teamsListProps(c: Context<AppEnv>, page: ReturnType<typeof listTeams>): TeamsListProps {
  const ctx = serviceContext(c);
  const names = namesOf(ctx.db, ctx.orgId, [...page.data.flatMap((team) => [team.leadId, ...team.memberIds])]);
  return {
    teams: page.data.map((team) => ({
      id: team.id,
      name: team.name,
      leadName: team.leadId ? (names.get(team.leadId) ?? null) : null,
      memberNames: team.memberIds.map((id) => names.get(id) ?? id),
    })),
    moreHref: page.nextCursor ? `/teams${queryString({ cursor: page.nextCursor })}` : null,
    canManage: mayManageProjects(c),
  };
}

/** A team as its read-only page shows it (to people who do not manage teams). */
export function teamPageProps(c: Context<AppEnv>, record: TeamRecord): TeamPageProps {
  const names = namesOf(serviceContext(c).db, serviceContext(c).orgId, [record.leadId, ...record.memberIds]);
  return {
    name: record.name,
    leadName: record.leadId ? (names.get(record.leadId) ?? null) : null,
    memberNames: record.memberIds.map((id) => names.get(id) ?? id),
  };
}

/** A team as its form shows it. */
export function teamFormValues(record: TeamRecord): TeamFormValues {
  return { name: record.name, leadId: record.leadId ?? "", memberIds: record.memberIds };
}

/** The form, new (record null) or editing. */
export function teamFormProps(
  c: Context<AppEnv>,
  record: TeamRecord | null,
  values: TeamFormValues,
  errors: Record<string, string>,
): TeamFormProps {
  return {
    teamId: record?.id ?? null,
    values,
    errors,
    people: peopleOptions(serviceContext(c), [record?.leadId ?? null, ...(record?.memberIds ?? [])]),
    etag: record ? teamEtag(record) : undefined,
    csrf: formCsrf(c),
  };
}
