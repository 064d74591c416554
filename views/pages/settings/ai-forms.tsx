/** @jsxImportSource hono/jsx */
import type { ModelJson } from "../../../server/ai/schemas.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

type FormProps = { values: Record<string, string>; errors: Record<string, string>; csrf: string | null };

function Field(props: {
  name: string;
  label: string;
  values: Record<string, string>;
  errors: Record<string, string>;
  hint?: string;
  placeholder?: string;
  required?: boolean;
}) {
  const error = props.errors[props.name];
  const help = error ?? props.hint;
  return (
    <label>
      {props.label}
      <input
        type="text"
        name={props.name}
        value={props.values[props.name] ?? ""}
        placeholder={props.placeholder}
        required={props.required}
        autocomplete="off"
        aria-invalid={error ? "true" : undefined}
        aria-describedby={help ? `${props.name}-help` : undefined}
      />
      {help ? <small id={`${props.name}-help`}>{help}</small> : null}
    </label>
  );
}

/** Pull from the Hugging Face Hub or an https URL; the download then shows in the list. */
export function PullForm(props: FormProps) {
  return (
    <form
      id="ai-pull-form"
      method="post"
      action="/settings/ai/models/pull"
      hx-post="/settings/ai/models/pull"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h3>Pull a model</h3>
      <FormMessage error={props.errors.form} />
      <CsrfField token={props.csrf} />
      <Field
        name="url"
        label="From"
        values={props.values}
        errors={props.errors}
        required
        placeholder="hf:microsoft/Phi-3-mini-4k-instruct-gguf/Phi-3-mini-4k-instruct-q4.gguf"
        hint="hf:<user>/<repo>/<file> or an https:// URL."
      />
      <div class="grid">
        <Field
          name="sha256"
          label="Expected sha256 (optional)"
          values={props.values}
          errors={props.errors}
          hint="A mismatch fails the pull; the sha256 is recorded either way."
        />
        <Field name="name" label="Name (optional)" values={props.values} errors={props.errors} />
      </div>
      <button type="submit">Pull</button>
    </form>
  );
}

/** Import a GGUF file that is already on the box. */
export function ImportForm(props: FormProps) {
  return (
    <form
      id="ai-import-form"
      method="post"
      action="/settings/ai/models/import"
      hx-post="/settings/ai/models/import"
      hx-target="this"
      hx-swap="outerHTML"
      novalidate
    >
      <h3>Import a file on the box</h3>
      <FormMessage error={props.errors.form} />
      <CsrfField token={props.csrf} />
      <div class="grid">
        <Field
          name="path"
          label="Path"
          values={props.values}
          errors={props.errors}
          required
          placeholder="/srv/models/nomic-embed-text-v1.5.Q8_0.gguf"
          hint="Hard-linked into the models folder when on the same disk, copied otherwise."
        />
        <Field name="name" label="Name (optional)" values={props.values} errors={props.errors} />
      </div>
      <button type="submit">Import</button>
    </form>
  );
}

export type RolesFormProps = {
  models: ModelJson[];
  chosen: { chat: string | null; embedding: string | null };
  /** Roles an environment variable decides, whatever is chosen here. */
  overridden: { chat: string | null; embedding: string | null };
  errors: Record<string, string>;
  notice: string | null;
  csrf: string | null;
  /** Only the box's instance admin may choose; other admins see the choice. */
  canChange: boolean;
};

/** Which ready model serves chat and which embeddings. */
export function RolesForm(props: RolesFormProps) {
  const ready = props.models.filter((model) => model.status === "ready");
  const select = (role: "chat" | "embedding", label: string, hint: string) => {
    const error = props.errors[role];
    const overridden = props.overridden[role];
    return (
      <label>
        {label}
        <select name={role} aria-invalid={error ? "true" : undefined} aria-describedby={`${role}-role-help`}>
          <option value="" selected={props.chosen[role] === null}>
            None
          </option>
          {ready.map((model) => (
            <option value={model.id} selected={props.chosen[role] === model.id}>
              {model.name}
            </option>
          ))}
        </select>
        <small id={`${role}-role-help`}>
          {error ?? (overridden ? `The environment serves ${overridden} instead, whatever is chosen here.` : hint)}
        </small>
      </label>
    );
  };
  return (
    <form
      id="ai-roles-form"
      method="post"
      action="/settings/ai/roles"
      hx-post="/settings/ai/roles"
      hx-target="this"
      hx-swap="outerHTML"
    >
      <FormMessage error={props.errors.form} notice={props.notice} />
      <CsrfField token={props.csrf} />
      <fieldset class="grid" disabled={props.canChange ? undefined : true}>
        {select("chat", "Chat model", "Answers questions in the assistant.")}
        {select("embedding", "Embedding model", "A change re-embeds every document in the background.")}
      </fieldset>
      {props.canChange ? <button type="submit">Save choice</button> : null}
    </form>
  );
}
