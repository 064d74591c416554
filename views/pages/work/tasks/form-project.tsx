/** @jsxImportSource hono/jsx */

/**
 * The task form's project: a text field for the project's code (`project`), which is all it is
 * without script. With htmx, typing fills the options under it with the open projects whose code
 * or name matches (GET /projects/choices); static/project-picker.js lets the arrow keys walk
 * them, Enter or a click put the code in the field, Escape closes them.
 */
export function ProjectField(props: {
  /** The code as typed, or the current project's code. */
  value: string;
  /** The current project's name, shown under the field while its code is there. */
  currentLabel: string | null;
  error: string | undefined;
}) {
  const describedBy = props.error ? "projectId-help" : "project-hint";
  return (
    <div class="project-picker">
      <label for="task-project">Project</label>
      <input
        type="text"
        id="task-project"
        name="project"
        value={props.value}
        placeholder="Code or name, e.g. WEB"
        maxlength={120}
        autocomplete="off"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded="false"
        aria-controls="task-project-options"
        aria-describedby={describedBy}
        aria-invalid={props.error ? "true" : undefined}
        hx-get="/projects/choices"
        hx-trigger="input changed delay:200ms"
        hx-target="#task-project-options"
        hx-swap="innerHTML"
        hx-sync="this:replace"
      />
      <div id="task-project-options" class="project-picker-options" aria-live="polite" />
      {props.error ? (
        <small id="projectId-help">{props.error}</small>
      ) : (
        <small id="project-hint">
          {props.currentLabel ? `${props.currentLabel}. ` : ""}A project's code; empty for no project.
        </small>
      )}
    </div>
  );
}
