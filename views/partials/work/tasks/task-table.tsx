/** @jsxImportSource hono/jsx */

import { raw } from "hono/html";
import type { TaskRowView } from "../../../pages/work/tasks/types.ts";
import { renderedOnce } from "../../../rendered-once.ts";
import { taskRowsHtml } from "./task-rows.ts";

/** Tasks as a table: title (a link to the task), status, priority, assignee, project, due, labels (rows: task-rows.ts). */
export function TaskTable(props: { rows: TaskRowView[]; caption?: string }) {
  return (
    <div class="overflow-auto">
      <table class="tasks-table">
        {props.caption ? <caption class="visually-hidden">{props.caption}</caption> : null}
        {renderedOnce("tasks.thead", () => (
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Status</th>
              <th scope="col">Priority</th>
              <th scope="col">Assignee</th>
              <th scope="col">Project</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
        ))}
        <tbody>{raw(taskRowsHtml(props.rows))}</tbody>
      </table>
    </div>
  );
}

/** Links between the task views, with the current one marked. */
export function TaskTabs(props: { current: "list" | "board" | "mine"; canCreate: boolean; newHref?: string }) {
  // A project's board links "New task" to that project: not one of a few fixed keys.
  if (props.newHref !== undefined) return <TaskTabLinks {...props} />;
  return renderedOnce(`tasks.tabs:${props.current}:${props.canCreate}`, () => <TaskTabLinks {...props} />);
}

function TaskTabLinks(props: { current: "list" | "board" | "mine"; canCreate: boolean; newHref?: string }) {
  const tabs: { key: typeof props.current; href: string; label: string }[] = [
    { key: "list", href: "/tasks", label: "List" },
    { key: "board", href: "/tasks/board", label: "Board" },
    { key: "mine", href: "/tasks/mine", label: "My work" },
  ];
  return (
    <nav class="task-tabs" aria-label="Task views">
      <ul>
        {tabs.map((tab) => (
          <li>
            <a href={tab.href} aria-current={tab.key === props.current ? "page" : undefined}>
              {tab.label}
            </a>
          </li>
        ))}
      </ul>
      {props.canCreate ? (
        <a href={props.newHref ?? "/tasks/new"} class="task-button task-new">
          New task
        </a>
      ) : null}
    </nav>
  );
}
