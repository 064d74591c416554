/** @jsxImportSource hono/jsx */
import type { DomainEvent } from "../../../models/events.ts";
import { ChangedTasksNotice } from "../../../views/pages/work/tasks/list.tsx";
import { MyWorkGroupsView } from "../../../views/pages/work/tasks/mine.tsx";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import { htmlOf, htmlPartial, partialsMessage } from "../../events/console-stream.ts";
import { listChangedSubjectIds } from "../../events/read.ts";
import { myWorkView } from "./console-props.ts";
import { taskChangeTypes } from "./live-board.tsx";

/** The notice counts this many tasks at most ("More than 99 tasks changed"). */
const COUNTED = 99;

/**
 * One SSE message for a task list loaded after event `sinceSeq`: how many tasks were created,
 * changed or deleted since then (counted from the events, so a reconnect counts the same), with
 * a link that draws the list again. Comments change no row, so they are not counted.
 */
export function taskListMessage(
  ctx: ServiceContext,
  events: DomainEvent[],
  sinceSeq: number,
  refreshHref: string,
): string {
  if (!events.some((event) => event.subjectType === "task" && taskChangeTypes.includes(event.type))) {
    return partialsMessage(ctx, events, []);
  }
  const changed = listChangedSubjectIds(
    ctx.db,
    { orgId: ctx.orgId, permissions: ctx.permissions, subjectType: "task", types: taskChangeTypes },
    sinceSeq,
    COUNTED + 1,
  );
  if (changed.length === 0) return partialsMessage(ctx, events, []);
  const notice = (
    <ChangedTasksNotice
      count={Math.min(changed.length, COUNTED)}
      more={changed.length > COUNTED}
      refreshHref={refreshHref}
    />
  );
  return partialsMessage(ctx, events, [htmlPartial("#task-list-changes", "outerHTML", htmlOf(notice))]);
}

/**
 * One SSE message for My work: the groups drawn again when a task event concerns me (I am in
 * its audience: the task is, or just was, assigned to me, or I reported it), else the id only.
 * The page is links only, so redrawing it loses nobody's place.
 */
export function myWorkMessage(ctx: ServiceContext, myName: string, events: DomainEvent[]): string {
  const mine = events.some(
    (event) =>
      event.subjectType === "task" && taskChangeTypes.includes(event.type) && event.audience.includes(ctx.userId),
  );
  if (!mine) return partialsMessage(ctx, events, []);
  const groups = htmlOf(<MyWorkGroupsView {...myWorkView(ctx, myName)} />);
  return partialsMessage(ctx, events, [htmlPartial("#my-work-groups", "outerHTML", groups)]);
}
