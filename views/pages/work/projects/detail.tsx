/** @jsxImportSource hono/jsx */
import type { EquipmentStatus } from "../../../../models/work.ts";
import { formatDay } from "../../../../server/tools/days.ts";
import type { ProjectJson } from "../../../../server/work/projects/schemas.ts";
import { CsrfField } from "../../../components/csrf-field.tsx";
import { ProjectMembers, type ProjectMembersProps } from "../../../partials/work/projects/members.tsx";
import { ProgressBar, ProjectStatusBadge } from "../../../partials/work/projects/progress.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";

export type ProjectPageProps = {
  project: ProjectJson;
  ownerName: string | null;
  members: ProjectMembersProps;
  equipment: { id: string; name: string; type: string; status: EquipmentStatus }[];
  canManage: boolean;
  csrf: string | null;
  notice?: string | null;
};

/** /projects/{id}: the overview of one project. */
export function ProjectPage(props: ProjectPageProps) {
  const { project } = props;
  const tasksHref = `/tasks?projectId=${encodeURIComponent(project.id)}`;
  const boardHref = `/tasks/board?projectId=${encodeURIComponent(project.id)}`;
  return (
    <article class="work-page project-page">
      <header class="work-header">
        <div>
          <p class="work-breadcrumbs">
            <a href="/projects">Projects</a> / <code>{project.code}</code>
          </p>
          <h1>
            {project.name} <ProjectStatusBadge status={project.status} />
          </h1>
        </div>
        <div class="work-actions">
          <a href={tasksHref}>Tasks</a>
          <a href={boardHref}>Board</a>
          {props.canManage ? <ManageActions project={project} csrf={props.csrf} /> : null}
        </div>
      </header>
      <FormMessage notice={props.notice} />
      <section aria-label="Progress">
        <ProgressBar progress={project.progress} />
      </section>
      <dl class="work-facts">
        <div>
          <dt>Owner</dt>
          <dd>{props.ownerName ?? "No owner"}</dd>
        </div>
        <div>
          <dt>Start</dt>
          <dd>{formatDay(project.startDate)}</dd>
        </div>
        <div>
          <dt>Target</dt>
          <dd>{formatDay(project.targetDate)}</dd>
        </div>
        <div>
          <dt>Tasks</dt>
          <dd>
            <a href={tasksHref}>{project.progress.total === 0 ? "None yet" : `${project.progress.total} tasks`}</a>
          </dd>
        </div>
      </dl>
      {project.description ? <p class="work-description">{project.description}</p> : null}
      <ProjectMembers {...props.members} />
      <section aria-labelledby="project-equipment-heading">
        <h2 id="project-equipment-heading">Equipment</h2>
        {props.equipment.length === 0 ? (
          <p class="empty-state">
            No equipment linked. Link a machine or tool to this project from its page under{" "}
            <a href="/equipment">Equipment</a>.
          </p>
        ) : (
          <ul>
            {props.equipment.map((item) => (
              <li>
                <a href={`/equipment/${item.id}`}>{item.name}</a>
                {item.type ? <small class="muted"> · {item.type}</small> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

function ManageActions(props: { project: ProjectJson; csrf: string | null }) {
  const action = `/projects/${props.project.id}/status`;
  const archived = props.project.status === "archived";
  return (
    <>
      <a class="link-button" href={`/projects/${props.project.id}/edit`}>
        Edit
      </a>
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target="#main"
        class="work-inline-form"
        hx-confirm={
          archived ? undefined : `Archive “${props.project.name}”? It leaves the open lists; you can restore it later.`
        }
      >
        <CsrfField token={props.csrf} />
        <input type="hidden" name="status" value={archived ? "active" : "archived"} />
        <button type="submit" class="secondary outline">
          {archived ? "Restore" : "Archive"}
        </button>
      </form>
    </>
  );
}
