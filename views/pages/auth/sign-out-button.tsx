/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";

/** A form with one button that ends the current session. */
export function SignOutButton(props: { csrf: string | null; label?: string }) {
  return (
    <form method="post" action="/sign-out" hx-post="/sign-out" class="sign-out-form">
      <CsrfField token={props.csrf} />
      <button type="submit" class="secondary outline">
        {props.label ?? "Sign out"}
      </button>
    </form>
  );
}
