/** @jsxImportSource hono/jsx */

/** A write-only secret (password, API key, client secret): always drawn empty, saying when one is stored. */
export function SecretField(props: {
  label: string;
  name: string;
  set: boolean;
  /** What the empty field says when a secret is stored. */
  setHint?: string;
  error?: string | undefined;
}) {
  return (
    <label>
      {props.label}
      <input
        type="password"
        name={props.name}
        value=""
        autocomplete="new-password"
        placeholder={props.set ? (props.setHint ?? "Stored: leave empty to keep it") : ""}
        aria-invalid={props.error ? "true" : undefined}
      />
      {props.error ? <small>{props.error}</small> : null}
    </label>
  );
}
