/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import {
  CheckboxGroup,
  type FormErrors,
  type Option,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../partials/work/projects/fields.tsx";
import { projectStatusLabels } from "../../../partials/work/projects/progress.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";

/** What the form holds, exactly as typed (re-rendered on a refusal). */
export type ProjectFormValues = {
  name: string;
  code: string;
  description: string;
  status: string;
  ownerId: string;
  memberIds: string[];
  startDate: string;
  targetDate: string;
  template: string;
};

export type ProjectFormProps = {
  mode: "new" | "edit";
  /** Where the form posts: /projects or /projects/{id}. */
  action: string;
  cancelHref: string;
  values: ProjectFormValues;
  errors: FormErrors;
  people: Option[];
  /** The organisation's project templates (only offered on create). */
  templates: { name: string; tasks: string[] }[];
  /** The ETag the edit started from: a change made meanwhile by someone else is refused, not overwritten. */
  etag?: string;
  csrf: string | null;
};

const statusOptions: Option[] = Object.entries(projectStatusLabels).map(([value, label]) => ({ value, label }));

/** /projects/new and /projects/{id}/edit. */
export function ProjectFormPage(props: ProjectFormProps) {
  const { values, errors } = props;
  return (
    <article class="work-page work-form">
      <header>
        <p class="work-breadcrumbs">
          <a href="/projects">Projects</a>
        </p>
        <h1>{props.mode === "new" ? "New project" : `Edit ${values.name || "project"}`}</h1>
      </header>
      <form id="project-form" method="post" action={props.action} hx-post={props.action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        {props.etag ? <input type="hidden" name="etag" value={props.etag} /> : null}
        <FormMessage error={errors.form} />
        <div class="grid">
          <TextField
            label="Name"
            name="name"
            value={values.name}
            error={errors.name}
            required
            maxlength={120}
            autofocus
          />
          <TextField
            label="Code"
            name="code"
            value={values.code}
            error={errors.code}
            required
            maxlength={20}
            hint="Short and unique, like WEB or FIT-OUT. Letters are made upper case."
          />
        </div>
        <TextAreaField label="Description" name="description" value={values.description} error={errors.description} />
        <div class="grid">
          <SelectField
            label="Owner"
            name="ownerId"
            value={values.ownerId}
            options={props.people}
            blank="No owner"
            error={errors.ownerId}
          />
          <SelectField
            label="Status"
            name="status"
            value={values.status}
            options={statusOptions}
            error={errors.status}
          />
        </div>
        <div class="grid">
          <TextField
            label="Start date"
            name="startDate"
            type="date"
            value={values.startDate}
            error={errors.startDate}
          />
          <TextField
            label="Target date"
            name="targetDate"
            type="date"
            value={values.targetDate}
            error={errors.targetDate}
            hint="Not before the start date."
          />
        </div>
        <CheckboxGroup
          legend="Members"
          name="memberIds"
          options={props.people}
          checked={values.memberIds}
          error={errors.memberIds}
        />
        {props.mode === "new" && props.templates.length > 0 ? (
          <SelectField
            label="Start from a template"
            name="template"
            value={values.template}
            blank="No template: an empty project"
            options={props.templates.map((template) => ({
              value: template.name,
              label: `${template.name}: ${template.tasks.join(", ")}`,
            }))}
            error={errors.template}
            hint="The template's tasks are created as to-dos in the new project."
          />
        ) : null}
        <div class="work-form-actions">
          <button type="submit">{props.mode === "new" ? "Create project" : "Save changes"}</button>
          <a href={props.cancelHref}>Cancel</a>
        </div>
      </form>
    </article>
  );
}
