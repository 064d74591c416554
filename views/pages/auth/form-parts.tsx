/** @jsxImportSource hono/jsx */
/**
 * Pieces every identity form shares: a form-level message and a labelled input (the CSRF field
 * is the console's one, views/components/csrf-field.tsx).
 */

export type FieldErrors = Record<string, string | undefined>;

export function FormMessage(props: { error?: string | null; notice?: string | null }) {
  if (props.error) {
    return (
      <p class="form-message form-message-error" role="alert">
        {props.error}
      </p>
    );
  }
  if (props.notice) {
    return (
      <p class="form-message form-message-notice" role="status">
        {props.notice}
      </p>
    );
  }
  return null;
}

export type InputFieldProps = {
  label: string;
  name: string;
  type?: "text" | "email" | "password";
  value?: string;
  autocomplete: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autofocus?: boolean;
  inputmode?: "numeric" | "text";
  maxlength?: number;
};

/** A label with its input; an error marks the input invalid and shows below it (Pico styles both). */
export function InputField(props: InputFieldProps) {
  const describedBy = props.error || props.hint ? `${props.name}-help` : undefined;
  return (
    <label>
      {props.label}
      <input
        type={props.type ?? "text"}
        name={props.name}
        value={props.value ?? ""}
        autocomplete={props.autocomplete}
        required={props.required ?? true}
        autofocus={props.autofocus}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={describedBy}
      />
      {props.error || props.hint ? <small id={describedBy}>{props.error ?? props.hint}</small> : null}
    </label>
  );
}

/** A new password and its repeat, with the password rules as the hint. */
export function NewPasswordFields(props: {
  label: string;
  minLength: number;
  names?: { password: string; confirm: string };
  errors?: { password?: string | undefined; confirm?: string | undefined };
  autofocus?: boolean;
}) {
  const names = props.names ?? { password: "password", confirm: "confirm" };
  return (
    <>
      <InputField
        label={props.label}
        name={names.password}
        type="password"
        autocomplete="new-password"
        error={props.errors?.password}
        hint={`At least ${props.minLength} characters; not a common password and not your e-mail address.`}
        autofocus={props.autofocus}
      />
      <InputField
        label={`Repeat the ${props.label.toLowerCase()}`}
        name={names.confirm}
        type="password"
        autocomplete="new-password"
        error={props.errors?.confirm}
      />
    </>
  );
}

/** "Also revoke my API keys", ticked unless the person unticked it: keys outlive sessions otherwise. */
export function RevokeApiKeysField(props: { checked: boolean; id: string }) {
  return (
    <label>
      <input type="checkbox" name="revokeApiKeys" value="on" checked={props.checked} aria-describedby={props.id} />
      Also revoke my API keys
      <small id={props.id}>
        Every API key you own stops working, in every organisation. Scripts that use one will need a new key.
      </small>
    </label>
  );
}
