import type { Context } from "hono";
import type { AppEnv } from "../../http/env.ts";

/** Console helpers shared by the projects, teams and equipment pages (their props builders are in console-props.ts). */

/** "" becomes null: an emptied optional field clears the value. */
export function orNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}

export function mayManageProjects(c: Context<AppEnv>): boolean {
  return c.var.auth?.permissions.has("projects.manage") === true;
}
