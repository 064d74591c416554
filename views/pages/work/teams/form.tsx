/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../../components/csrf-field.tsx";
import {
  CheckboxGroup,
  type FormErrors,
  type Option,
  SelectField,
  TextField,
} from "../../../partials/work/projects/fields.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";

export type TeamFormValues = { name: string; leadId: string; memberIds: string[] };

export type TeamFormProps = {
  /** null for a new team. */
  teamId: string | null;
  values: TeamFormValues;
  errors: FormErrors;
  people: Option[];
  etag?: string;
  csrf: string | null;
};

/** /teams/new and /teams/{id} (for people who manage teams): name, lead and members. */
export function TeamFormPage(props: TeamFormProps) {
  const { values, errors } = props;
  const action = props.teamId ? `/teams/${props.teamId}` : "/teams";
  return (
    <article class="work-page work-form">
      <header>
        <p class="work-breadcrumbs">
          <a href="/teams">Teams</a>
        </p>
        <h1>{props.teamId ? values.name || "Team" : "New team"}</h1>
      </header>
      <form id="team-form" method="post" action={action} hx-post={action} hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        {props.etag ? <input type="hidden" name="etag" value={props.etag} /> : null}
        <FormMessage error={errors.form} />
        <TextField label="Name" name="name" value={values.name} error={errors.name} required maxlength={80} autofocus />
        <SelectField
          label="Lead"
          name="leadId"
          value={values.leadId}
          options={props.people}
          blank="No lead"
          error={errors.leadId}
          hint="Approves the members' timesheets."
        />
        <CheckboxGroup
          legend="Members"
          name="memberIds"
          options={props.people}
          checked={values.memberIds}
          error={errors.memberIds}
        />
        <div class="work-form-actions">
          <button type="submit">{props.teamId ? "Save changes" : "Create team"}</button>
          <a href="/teams">Cancel</a>
        </div>
      </form>
      {props.teamId ? (
        <form
          method="post"
          action={`/teams/${props.teamId}/delete`}
          hx-post={`/teams/${props.teamId}/delete`}
          hx-confirm={`Delete the team “${values.name}”? Its members keep their accounts and work.`}
          class="work-danger-zone"
        >
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary outline">
            Delete team
          </button>
        </form>
      ) : null}
    </article>
  );
}

/** /teams/{id} for people who may only read. */
export type TeamPageProps = { name: string; leadName: string | null; memberNames: string[] };

export function TeamPage(props: TeamPageProps) {
  return (
    <article class="work-page">
      <header>
        <p class="work-breadcrumbs">
          <a href="/teams">Teams</a>
        </p>
        <h1>{props.name}</h1>
      </header>
      <dl class="work-facts">
        <div>
          <dt>Lead</dt>
          <dd>{props.leadName ?? "No lead"}</dd>
        </div>
      </dl>
      <h2>Members</h2>
      {props.memberNames.length === 0 ? (
        <p class="empty-state">No members yet.</p>
      ) : (
        <ul>
          {props.memberNames.map((name) => (
            <li>{name}</li>
          ))}
        </ul>
      )}
    </article>
  );
}
