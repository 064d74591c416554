import type { Context } from "hono";
import type { Task } from "../../../models/work.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { serviceContext } from "../../http/guards.ts";

/**
 * The service context of task routes, with the caller's name for event summaries: the request
 * already knows it, so creating a task needs no extra read to say "Ada created …".
 */
export type TaskContext = ServiceContext & { actorName?: string };

export function taskContext(c: Context<AppEnv>): TaskContext {
  return { ...serviceContext(c), actorName: c.var.auth?.user.name };
}

/** Assign to others, delete, and change any task: Team Lead and up. */
export function canManageTasks(ctx: Pick<ServiceContext, "permissions">): boolean {
  return ctx.permissions.has("tasks.manage");
}

/**
 * Whether the caller may change (or comment on) this task. A Team Member (tasks.write without
 * tasks.manage) may only touch the tasks they reported or are assigned to.
 */
export function canWriteTask(
  ctx: Pick<ServiceContext, "permissions" | "userId">,
  task: Pick<Task, "reporterId" | "assigneeId">,
): boolean {
  if (!ctx.permissions.has("tasks.write")) return false;
  return canManageTasks(ctx) || task.reporterId === ctx.userId || task.assigneeId === ctx.userId;
}

/** 403 (the task is visible to the caller, so not 404) unless canWriteTask. */
export function assertCanWriteTask(ctx: ServiceContext, task: Pick<Task, "reporterId" | "assigneeId">): void {
  if (!canWriteTask(ctx, task)) {
    throw new AppError("forbidden", "You may only change tasks that you reported or that are assigned to you.");
  }
}

/** Whether the caller may give a task to `assigneeId` (null = nobody). */
export function canAssignTo(ctx: Pick<ServiceContext, "permissions" | "userId">, assigneeId: string | null): boolean {
  return assigneeId === null || assigneeId === ctx.userId || canManageTasks(ctx);
}

/** 403 unless the caller may assign to `assigneeId`: members only to themselves or nobody. */
export function assertCanAssign(ctx: ServiceContext, assigneeId: string | null): void {
  if (!canAssignTo(ctx, assigneeId)) {
    throw new AppError("forbidden", "You may only assign tasks to yourself or leave them unassigned.", [
      { path: "assigneeId", message: "You may only assign tasks to yourself or leave them unassigned." },
    ]);
  }
}
