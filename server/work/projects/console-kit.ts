import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import type { Option } from "../../../views/partials/work/projects/fields.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { DISK_FULL_FORM_MESSAGE, isDiskFullError } from "../../http/disk-space.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { FORMER_MEMBER, listMembers, namesOf } from "../../members/directory.ts";

/** Console form plumbing shared by the projects, teams and equipment pages. */

export type Posted = { text: (name: string) => string; list: (name: string) => string[] };

/** A posted form with repeated names (checkboxes) kept as lists. */
export async function readPosted(c: Context<AppEnv>): Promise<Posted> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string) => {
    const value = body[name];
    return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (item): item is string => typeof item === "string",
    );
  };
  return { text: (name) => values(name)[0] ?? "", list: values };
}

/** "" becomes null: an emptied optional field clears the value. */
export function orNull(value: string): string | null {
  return value.trim() === "" ? null : value;
}

export type FormRefusal = { errors: Record<string, string>; status: ContentfulStatusCode };

/** The first message per field of a zod failure (`memberIds.2` → `memberIds`). */
export function refusalFromZod(error: z.ZodError): FormRefusal {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return { errors, status: 422 };
}

/**
 * A refusal the form can show beside its fields (422, 409, 412, and 507 for a full disk);
 * anything else is thrown on to the error page.
 */
export function refusalFrom(error: unknown): FormRefusal {
  if (isDiskFullError(error)) {
    // The form comes back with what was typed: a full disk must not cost the person their input.
    return { errors: { form: DISK_FULL_FORM_MESSAGE }, status: 507 };
  }
  if (!(error instanceof AppError) || !["validation_failed", "conflict", "precondition_failed"].includes(error.code)) {
    throw error;
  }
  const errors: Record<string, string> = {};
  for (const detail of error.details) errors[detail.path.split(".")[0] || "form"] ??= detail.message;
  if (error.code === "precondition_failed") {
    errors.form =
      "Someone else changed this while you were editing. The form shows your values: check them and save again to keep them.";
  } else if (Object.keys(errors).length === 0) {
    errors.form = error.message;
  }
  return { errors, status: error.status as ContentfulStatusCode };
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
