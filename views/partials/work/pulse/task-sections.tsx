/** @jsxImportSource hono/jsx */
import type { PulseList, PulseSections, PulseTask } from "../../../pages/work/pulse/types.ts";
import { PulseCard } from "./card.tsx";
import { dueText, taskStatusLabels, timeAgo } from "./format.ts";

type TaskLine = "due" | "quiet";

function TaskRow(props: { task: PulseTask; now: Date; line: TaskLine; showAssignee?: boolean }) {
  const { task, now } = props;
  const overdue = task.dueAt !== null && task.dueAt.getTime() < now.getTime();
  return (
    <li class="pulse-task">
      <a href={`/tasks/${task.id}`}>{task.title}</a>
      {task.priority === "urgent" || task.priority === "high" ? (
        <span class={`pulse-priority pulse-priority-${task.priority}`}>{task.priority}</span>
      ) : null}
      <small class="pulse-meta">
        {task.projectCode ? <span class="pulse-code">{task.projectCode}</span> : null}
        <span>{taskStatusLabels[task.status] ?? task.status}</span>
        {props.showAssignee ? <span>{task.assigneeName ?? "Unassigned"}</span> : null}
        {props.line === "quiet" ? (
          <span>last activity {timeAgo(task.lastActivityAt, now)}</span>
        ) : task.dueAt ? (
          <span class={overdue ? "pulse-late" : undefined}>{dueText(task.dueAt, now)}</span>
        ) : null}
      </small>
    </li>
  );
}

function TaskList(props: { list: PulseList<PulseTask>; now: Date; line: TaskLine; showAssignee?: boolean }) {
  return (
    <ul class="pulse-list">
      {props.list.items.map((task) => (
        <TaskRow task={task} now={props.now} line={props.line} showAssignee={props.showAssignee} />
      ))}
    </ul>
  );
}

export function MyTasksSection(props: { list: PulseList<PulseTask>; now: Date }) {
  return (
    <PulseCard
      id="pulse-my-tasks"
      title="My open tasks"
      count={props.list.items.length}
      more={props.list.more}
      link={{ href: "/tasks/mine", label: "All my work" }}
      hasItems={props.list.items.length > 0}
      empty={
        <>
          Nothing is assigned to you. Pick something up on the <a href="/tasks">task list</a>.
        </>
      }
    >
      <TaskList list={props.list} now={props.now} line="due" />
    </PulseCard>
  );
}

export function OverdueSection(props: { list: PulseList<PulseTask>; now: Date }) {
  return (
    <PulseCard
      id="pulse-overdue"
      title="My overdue tasks"
      count={props.list.items.length}
      more={props.list.more}
      tone="attention"
      link={{ href: "/tasks/mine", label: "My work" }}
      hasItems={props.list.items.length > 0}
      empty="Nothing of yours is overdue."
    >
      <TaskList list={props.list} now={props.now} line="due" />
    </PulseCard>
  );
}

export function StaleSection(props: { stale: PulseSections["stale"]; now: Date }) {
  const organisation = props.stale.scope === "organisation";
  return (
    <PulseCard
      id="pulse-stale"
      title="No activity for 48 hours"
      count={props.stale.items.length}
      more={props.stale.more}
      tone="attention"
      link={organisation ? { href: "/tasks", label: "All tasks" } : { href: "/tasks/mine", label: "My work" }}
      hasItems={props.stale.items.length > 0}
      empty={
        organisation
          ? "Every open task of the organisation moved in the last 48 hours."
          : "Each of your open tasks moved in the last 48 hours."
      }
    >
      <TaskList list={props.stale} now={props.now} line="quiet" showAssignee={organisation} />
    </PulseCard>
  );
}
