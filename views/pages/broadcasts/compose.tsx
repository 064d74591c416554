/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import type { FieldErrors, Option } from "../../components/form-fields.tsx";
import { TextAreaField, TextField } from "../../components/form-fields.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

/** `audience` is `organization`, `team:<id>` or `role:<role>`: one select for the three kinds. */
export type BroadcastFormValues = { subject: string; audience: string; body: string };

export type BroadcastPreview = { recipientCount: number; audienceLabel: string; bodyHtml: string };

export type BroadcastComposeProps = {
  values: BroadcastFormValues;
  errors: FieldErrors;
  teams: Option[];
  roles: Option[];
  /** Shown above the form after "Preview". */
  preview: BroadcastPreview | null;
  csrf: string | null;
};

/** /broadcasts/new: subject, audience and a Markdown message; "Preview" counts the recipients first. */
export function BroadcastComposePage(props: BroadcastComposeProps) {
  const { values, errors } = props;
  return (
    <article class="work-page work-form" id="broadcast-compose">
      <header>
        <p class="work-breadcrumbs">
          <a href="/broadcasts">Broadcasts</a>
        </p>
        <h1>New broadcast</h1>
      </header>
      {props.preview ? <PreviewPanel preview={props.preview} subject={values.subject} /> : null}
      <form id="broadcast-form" method="post" action="/broadcasts" hx-post="/broadcasts" hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <FormMessage error={errors.form} />
        <TextField
          label="Subject"
          name="subject"
          value={values.subject}
          error={errors.subject}
          required
          maxlength={200}
          autofocus={!props.preview}
        />
        <label>
          To
          <select
            name="audience"
            aria-invalid={errors.audience ? "true" : undefined}
            aria-describedby={errors.audience ? "audience-help" : undefined}
          >
            <option value="organization" selected={values.audience === "organization"}>
              Everyone in the organisation
            </option>
            {props.teams.length > 0 ? (
              <optgroup label="A team">
                {props.teams.map((team) => (
                  <option value={team.value} selected={values.audience === team.value}>
                    {team.label}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label="Everyone with a role">
              {props.roles.map((role) => (
                <option value={role.value} selected={values.audience === role.value}>
                  {role.label}
                </option>
              ))}
            </optgroup>
          </select>
          {errors.audience ? <small id="audience-help">{errors.audience}</small> : null}
        </label>
        <TextAreaField
          label="Message"
          name="body"
          value={values.body}
          error={errors.body}
          rows={10}
          hint="Markdown: **bold**, *italic*, lists, links. Each person gets it in the console and by e-mail, as their notification choices allow."
        />
        <div class="work-form-actions">
          <button
            type="submit"
            formaction="/broadcasts/preview"
            hx-post="/broadcasts/preview"
            hx-target="#main"
            class="secondary"
          >
            Preview
          </button>
          <button type="submit">Send</button>
          <a href="/broadcasts">Cancel</a>
        </div>
      </form>
    </article>
  );
}

function PreviewPanel(props: { preview: BroadcastPreview; subject: string }) {
  const { preview } = props;
  return (
    <section class="broadcast-preview" aria-labelledby="broadcast-preview-heading">
      <h2 id="broadcast-preview-heading">Preview</h2>
      <p id="broadcast-recipient-count">
        <strong>{preview.recipientCount === 1 ? "1 person" : `${preview.recipientCount} people`}</strong> (
        {preview.audienceLabel}) will get this message.
        {preview.recipientCount === 0 ? " Choose another audience: nobody but you is in this one." : null}
      </p>
      <div class="broadcast-message">
        <h3>{props.subject}</h3>
        <div class="markdown" dangerouslySetInnerHTML={{ __html: preview.bodyHtml }} />
      </div>
    </section>
  );
}
