/** @jsxImportSource hono/jsx */

/**
 * The token a plain (non-htmx) form post needs once a session exists; nothing without one. The
 * one CSRF input of the console (the layout's account menu writes the same markup as a template).
 */
export function CsrfField(props: { token: string | null | undefined }) {
  return props.token ? <input type="hidden" name="_csrf" value={props.token} /> : null;
}
