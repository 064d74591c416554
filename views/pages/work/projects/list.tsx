/** @jsxImportSource hono/jsx */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { ProjectStatus } from "../../../../models/work.ts";
import { formatDay } from "../../../../server/tools/days.ts";
import { SelectField, TextField } from "../../../partials/work/projects/fields.tsx";
import { ProgressBar, ProjectStatusBadge } from "../../../partials/work/projects/progress.tsx";

export type ProjectListRow = {
  id: string;
  name: string;
  code: string;
  status: ProjectStatus;
  ownerName: string | null;
  targetDate: string | null;
  progress: { total: number; done: number; percent: number };
};

/** `open` = active and on hold (the default view); `all` includes archived projects. */
export type ProjectStatusFilter = "open" | "all" | ProjectStatus;

export type ProjectsListProps = {
  projects: ProjectListRow[];
  filters: { status: ProjectStatusFilter; q: string };
  /** The next (older) page, or null. */
  moreHref: string | null;
  canManage: boolean;
};

const statusFilterOptions: { value: ProjectStatusFilter; label: string }[] = [
  { value: "open", label: "Open (active and on hold)" },
  { value: "active", label: "Active" },
  { value: "on_hold", label: "On hold" },
  { value: "archived", label: "Archived" },
  { value: "all", label: "All" },
];

/** /projects: the organisation's projects with a status filter and a text search. */
export function ProjectsListPage(props: ProjectsListProps) {
  const filtered = props.filters.q !== "" || props.filters.status !== "open";
  return (
    <article class="work-page">
      <header class="work-header">
        <h1>Projects</h1>
        <div class="work-actions">
          <a href="/teams">Teams</a>
          {props.canManage ? (
            <a class="link-button" href="/projects/new">
              New project
            </a>
          ) : null}
        </div>
      </header>
      <form method="get" action="/projects" class="work-filters" aria-label="Filter projects">
        <SelectField label="Status" name="status" value={props.filters.status} options={statusFilterOptions} />
        <TextField label="Name or code" name="q" value={props.filters.q} placeholder="e.g. WEB" maxlength={120} />
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {props.projects.length === 0 ? (
        <EmptyState filtered={filtered} canManage={props.canManage} />
      ) : (
        projectTable(props.projects)
      )}
      {props.moreHref ? (
        <p>
          <a href={props.moreHref}>More projects</a>
        </p>
      ) : null}
    </article>
  );
}

function EmptyState(props: { filtered: boolean; canManage: boolean }) {
  if (props.filtered) {
    return (
      <p class="empty-state">
        No projects match these filters. <a href="/projects">Show all open projects</a>.
      </p>
    );
  }
  return (
    <div class="empty-state">
      <p>No projects yet.</p>
      <p>
        {props.canManage ? (
          <>
            <a href="/projects/new">Create the first project</a>: give it a name and a short code, and start from one of
            your industry's templates to get its first tasks.
          </>
        ) : (
          "A manager or admin creates projects; they appear here as soon as they exist."
        )}
      </p>
    </div>
  );
}

/**
 * The table as markup, made once per rows array: the first page of each filter comes from a
 * cache shared until the next write (server/work/projects/console-list.ts), so the same array
 * means the same table, and its 50 rows of elements cost more than the rest of the page.
 */
const renderedTables = new WeakMap<ProjectListRow[], HtmlEscapedString>();

function projectTable(projects: ProjectListRow[]): HtmlEscapedString {
  let html = renderedTables.get(projects);
  if (!html) {
    html = raw(String(<ProjectTable projects={projects} />));
    renderedTables.set(projects, html);
  }
  return html;
}

function ProjectTable(props: { projects: ProjectListRow[] }) {
  return (
    <div class="overflow-auto">
      <table class="work-table projects-table">
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Target</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {props.projects.map((project) => (
            <tr id={`project-${project.id}`}>
              <td>
                <code>{project.code}</code>
              </td>
              <td>
                <a href={`/projects/${project.id}`}>{project.name}</a>
              </td>
              <td>
                <ProjectStatusBadge status={project.status} />
              </td>
              <td>{project.ownerName ?? "—"}</td>
              <td class="nowrap">{formatDay(project.targetDate)}</td>
              <td>
                <ProgressBar progress={project.progress} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
