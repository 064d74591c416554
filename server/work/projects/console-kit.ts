import type { Context } from "hono";
import type { Option } from "../../../views/partials/work/projects/fields.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { AppEnv } from "../../http/env.ts";
import { FORMER_MEMBER, listMembers, namesOf } from "../../members/directory.ts";

/** Console helpers shared by the projects, teams and equipment pages. */

/** "" becomes null: an emptied optional field clears the value. */
export function orNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}

export function mayManageProjects(c: Context<AppEnv>): boolean {
  return c.var.auth?.permissions.has("projects.manage") === true;
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
