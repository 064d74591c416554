/** @jsxImportSource hono/jsx */

export type ProjectOption = { id: string; code: string; name: string };

/**
 * The open projects matching what was typed in a project field (views/pages/work/tasks/form-project.tsx):
 * each a button that puts its code in the field (static/project-picker.js). Nothing for an empty query.
 */
export function ProjectOptions(props: { q: string; projects: ProjectOption[] }) {
  if (props.q === "") return null;
  if (props.projects.length === 0) {
    return <p class="project-picker-none">No open project matches “{props.q}”.</p>;
  }
  return (
    <div role="listbox" aria-label="Matching projects">
      {props.projects.map((project) => (
        <button
          type="button"
          role="option"
          aria-selected="false"
          class="project-option"
          data-code={project.code}
          tabindex={-1}
        >
          <code>{project.code}</code> {project.name}
        </button>
      ))}
    </div>
  );
}
