/** @jsxImportSource hono/jsx */
import type { ProjectStatus } from "../../../../models/work.ts";

export const projectStatusLabels: Record<ProjectStatus, string> = {
  active: "Active",
  on_hold: "On hold",
  archived: "Archived",
};

export function ProjectStatusBadge(props: { status: ProjectStatus }) {
  return <span class={`status project-status-${props.status}`}>{projectStatusLabels[props.status]}</span>;
}

/** How far the project's tasks are, as a bar and in words. */
export function ProgressBar(props: { progress: { total: number; done: number; percent: number }; compact?: boolean }) {
  const { total, done, percent } = props.progress;
  const words = total === 0 ? "No tasks yet" : `${done} of ${total} tasks done (${percent}%)`;
  return (
    <div class={props.compact ? "project-progress compact-progress" : "project-progress"}>
      <progress value={done} max={Math.max(total, 1)} aria-label={words} />
      <small>{props.compact ? (total === 0 ? "—" : `${percent}%`) : words}</small>
    </div>
  );
}
