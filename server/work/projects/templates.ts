import { z } from "zod";
import { tasks } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
import { AppError } from "../../http/errors.ts";
import { readOrganizationSetting } from "../../organization-settings.ts";
import { newId } from "../../tools/ids.ts";

export type ProjectTemplate = { name: string; tasks: string[] };

// Setup stores the whole industry template; only its project templates matter here.
const storedTemplate = z.object({
  projectTemplates: z.array(z.object({ name: z.string(), tasks: z.array(z.string()) })).default([]),
});

/** The project templates of the organisation's industry template (organization_settings "template"). */
export function listProjectTemplates(db: Queryable, orgId: string): ProjectTemplate[] {
  const parsed = storedTemplate.safeParse(readOrganizationSetting(db, orgId, "template") ?? {});
  return parsed.success ? parsed.data.projectTemplates : [];
}

/** The template called `name` (ignoring case); 422 on `template` when the organisation has none by that name. */
export function findProjectTemplate(db: Queryable, orgId: string, name: string): ProjectTemplate {
  const templates = listProjectTemplates(db, orgId);
  const found = templates.find((template) => template.name.toLowerCase() === name.trim().toLowerCase());
  if (!found) {
    const choices = templates.map((template) => `“${template.name}”`).join(", ");
    throw new AppError("validation_failed", "The request is not valid.", [
      {
        path: "template",
        message: choices
          ? `No such template. Choose one of ${choices}.`
          : "This organisation has no project templates.",
      },
    ]);
  }
  return found;
}

/** Inserts the template's tasks into a new project, in order, as to-dos reported by `reporterId`. */
export function insertTemplateTasks(
  tx: Queryable,
  input: { orgId: string; projectId: string; reporterId: string; template: ProjectTemplate },
  now: Date,
): string[] {
  const ids: string[] = [];
  input.template.tasks.forEach((title, index) => {
    const id = newId("tsk", now.getTime());
    tx.insert(tasks)
      .values({
        id,
        orgId: input.orgId,
        projectId: input.projectId,
        title,
        status: "todo",
        reporterId: input.reporterId,
        position: index + 1,
        lastActivityAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    ids.push(id);
  });
  return ids;
}
