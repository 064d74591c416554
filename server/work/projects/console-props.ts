import type { Context } from "hono";
import type { ProjectPageProps } from "../../../views/pages/work/projects/detail.tsx";
import type { ProjectMembersProps } from "../../../views/partials/work/projects/members.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { listMembers, namesOf } from "../../members/directory.ts";
import { mayManageProjects } from "./console-kit.ts";
import { listEquipmentOfProject } from "./equipment-of-project.ts";
import { type ProjectRecord, projectJson } from "./service.ts";

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
