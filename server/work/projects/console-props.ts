import type { Context } from "hono";
import type { ProjectPageProps } from "../../../views/pages/work/projects/detail.tsx";
import type { ProjectFormProps, ProjectFormValues } from "../../../views/pages/work/projects/form.tsx";
import type { ProjectsListProps } from "../../../views/pages/work/projects/list.tsx";
import type { Option } from "../../../views/partials/work/projects/fields.tsx";
import type { ProjectMembersProps } from "../../../views/partials/work/projects/members.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { FORMER_MEMBER, listMembers, namesOf } from "../../members/directory.ts";
import { queryString } from "../../tools/query-string.ts";
import { mayManageProjects } from "./console-kit.ts";
import type { projectListPage } from "./console-list.ts";
import { listEquipmentOfProject } from "./equipment-of-project.ts";
import { type ProjectRecord, projectEtag, projectJson } from "./service.ts";
import { listProjectTemplates } from "./templates.ts";

/** What the project page shows: the project, its people by name, its equipment. */
export function projectPageProps(c: Context<AppEnv>, record: ProjectRecord): ProjectPageProps {
  const ctx = serviceContext(c);
  const owner = record.ownerId ? namesOf(ctx.db, ctx.orgId, [record.ownerId]).get(record.ownerId) : undefined;
  return {
    project: projectJson(record),
    ownerName: owner ?? null,
    members: projectMembersProps(c, record),
    equipment: listEquipmentOfProject(ctx, record.id),
    canManage: mayManageProjects(c),
    csrf: formCsrf(c),
  };
}

export function projectMembersProps(c: Context<AppEnv>, record: ProjectRecord): ProjectMembersProps {
  const ctx = serviceContext(c);
  const names = namesOf(ctx.db, ctx.orgId, record.memberIds);
  return {
    projectId: record.id,
    members: record.memberIds.map((id) => ({ id, name: names.get(id) ?? id, isOwner: id === record.ownerId })),
    candidates: listMembers(ctx.db, ctx.orgId)
      .filter((member) => !record.memberIds.includes(member.id))
      .map((member) => ({ value: member.id, label: member.name })),
    canManage: mayManageProjects(c),
    csrf: formCsrf(c),
  };
}

export const blankValues: ProjectFormValues = {
  name: "",
  code: "",
  description: "",
  status: "active",
  ownerId: "",
  memberIds: [],
  startDate: "",
  targetDate: "",
  template: "",
};

export function valuesOfRecord(record: ProjectRecord): ProjectFormValues {
  return {
    ...blankValues,
    name: record.name,
    code: record.code,
    description: record.description,
    status: record.status,
    ownerId: record.ownerId ?? "",
    memberIds: record.memberIds,
    startDate: record.startDate ?? "",
    targetDate: record.targetDate ?? "",
  };
}

/** The organisation's people for pickers, plus anyone already chosen who has since left (marked). */
export function peopleOptions(ctx: Pick<ServiceContext, "db" | "orgId">, chosen: (string | null)[] = []): Option[] {
  const options = listMembers(ctx.db, ctx.orgId).map((member) => ({ value: member.id, label: member.name }));
  const known = new Set(options.map((option) => option.value));
  const missing = chosen.filter((id): id is string => id !== null && !known.has(id));
  const names = namesOf(ctx.db, ctx.orgId, missing);
  for (const id of new Set(missing)) {
    const name = names.get(id) ?? FORMER_MEMBER;
    options.push({ value: id, label: name === FORMER_MEMBER ? name : `${name} (no longer here)` });
  }
  return options;
}

/** The list: a page of projects with the filters that chose them. */
export function projectsListProps(
  c: Context<AppEnv>,
  page: ReturnType<typeof projectListPage>,
  filters: ProjectsListProps["filters"],
): ProjectsListProps {
  return {
    projects: page.rows,
    filters,
    moreHref: page.nextCursor ? `/projects${queryString({ ...filters, cursor: page.nextCursor })}` : null,
    canManage: mayManageProjects(c),
  };
}

/** The form, new (record null: templates offered) or editing. */
export function projectFormProps(
  c: Context<AppEnv>,
  record: ProjectRecord | null,
  values: ProjectFormValues,
  errors: Record<string, string>,
): ProjectFormProps {
  const ctx = serviceContext(c);
  return {
    mode: record ? "edit" : "new",
    action: record ? `/projects/${record.id}` : "/projects",
    cancelHref: record ? `/projects/${record.id}` : "/projects",
    values,
    errors,
    people: peopleOptions(ctx, [record?.ownerId ?? null, ...(record?.memberIds ?? [])]),
    templates: record ? [] : listProjectTemplates(ctx.db, ctx.orgId),
    etag: record ? projectEtag(record) : undefined,
    csrf: formCsrf(c),
  };
}
