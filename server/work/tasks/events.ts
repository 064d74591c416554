import { statusLabels } from "../../../models/task-labels.ts";
import type { Task } from "../../../models/work.ts";
import type { Queryable } from "../../db.ts";
import { publishEvent } from "../../events/publish.ts";
import { actorName } from "../../members/directory.ts";
import type { TaskContext } from "./access.ts";
import type { FieldChange } from "./changes.ts";

type TaskEventType = "task.created" | "task.updated" | "task.reordered" | "task.commented" | "task.deleted";

/**
 * Records a task event in the caller's transaction. The audience is the task's assignee and
 * reporter, plus `alsoConcerns` (the previous assignee of a reassigned task).
 */
export function publishTaskEvent(
  db: Queryable,
  ctx: TaskContext,
  type: TaskEventType,
  task: Pick<Task, "id" | "title" | "assigneeId" | "reporterId">,
  describe: (actor: string) => string,
  data: Record<string, unknown>,
  now: Date,
  alsoConcerns: (string | null)[] = [],
): void {
  publishEvent(
    db,
    { orgId: ctx.orgId, userId: ctx.userId },
    {
      type,
      subjectType: "task",
      subjectId: task.id,
      summary: describe(actorName(db, ctx)),
      data: { title: task.title, ...data },
      audience: [task.assigneeId, task.reporterId, ...alsoConcerns],
    },
    now,
  );
}

/** "Ada moved “Fix the boiler” to Done", "Ada assigned … to Bo", or "Ada updated … (title, labels)". */
export function updateSummary(
  actor: string,
  title: string,
  changes: FieldChange[],
  assigneeName: string | null,
): string {
  const only = changes.length === 1 ? changes[0] : undefined;
  if (only?.field === "status") {
    return `${actor} moved “${title}” to ${statusLabels[only.to as Task["status"]] ?? String(only.to)}`;
  }
  if (only?.field === "assigneeId") {
    return only.to === null ? `${actor} unassigned “${title}”` : `${actor} assigned “${title}” to ${assigneeName}`;
  }
  return `${actor} updated “${title}” (${changes.map((change) => change.field).join(", ")})`;
}

/** `{ status: { from, to }, … }`: the data of a task.updated event. */
export function changesData(changes: FieldChange[]): Record<string, { from: unknown; to: unknown }> {
  const data: Record<string, { from: unknown; to: unknown }> = {};
  for (const change of changes) data[change.field] = { from: change.from, to: change.to };
  return data;
}
