/** @jsxImportSource hono/jsx */
import { TaskTable, TaskTabs } from "../../../partials/work/tasks/task-table.tsx";
import type { TaskRowView } from "./types.ts";

export type MyWorkGroups = { overdue: TaskRowView[]; week: TaskRowView[]; later: TaskRowView[]; none: TaskRowView[] };

export type MyWorkProps = {
  groups: MyWorkGroups;
  total: number;
  canCreate: boolean;
  /** The page's live stream (htmx SSE), which redraws the groups when my tasks change; null = not live. */
  streamUrl?: string | null;
};

const sections: { key: keyof MyWorkGroups; title: string }[] = [
  { key: "overdue", title: "Overdue" },
  { key: "week", title: "Due this week" },
  { key: "later", title: "Later" },
  { key: "none", title: "No due date" },
];

/** /tasks/mine: what is assigned to me and not done, by when it is due. */
export function MyWorkPage(props: MyWorkProps) {
  return (
    <article class="tasks-page">
      <header>
        <h1>My work</h1>
        <TaskTabs current="mine" canCreate={props.canCreate} />
      </header>
      {props.streamUrl ? <div id="my-work-live" hx-sse:connect={props.streamUrl} /> : null}
      <MyWorkGroupsView {...props} />
    </article>
  );
}

/** The groups (or the empty state): what the live stream sends again when my tasks change. */
export function MyWorkGroupsView(props: MyWorkProps) {
  return (
    <div id="my-work-groups" aria-live="polite">
      {props.total === 0 ? (
        <div class="empty-state">
          <p>Nothing open is assigned to you.</p>
          <p>
            Pick up work from the <a href="/tasks/board">board</a> or the{" "}
            <a href="/tasks?assigneeId=none">unassigned tasks</a>
            {props.canCreate ? (
              <>
                , or <a href="/tasks/new">create a task</a>
              </>
            ) : null}
            .
          </p>
        </div>
      ) : (
        sections.map((section) =>
          props.groups[section.key].length === 0 ? null : (
            <section class={`my-work-group my-work-${section.key}`} aria-labelledby={`my-work-${section.key}`}>
              <h2 id={`my-work-${section.key}`}>
                {section.title} <small class="muted">({props.groups[section.key].length})</small>
              </h2>
              <TaskTable rows={props.groups[section.key]} caption={section.title} />
            </section>
          ),
        )
      )}
    </div>
  );
}
