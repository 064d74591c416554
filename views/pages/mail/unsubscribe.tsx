/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";

export type UnsubscribePageProps =
  | {
      state: "confirm" | "done";
      address: string;
      /** Whose mail stops: the organisation's name, or null for the box's own. */
      organization: string | null;
      action: string;
      csrf: string | null;
    }
  | { state: "invalid" | "expired" };

/** The page behind the footer link of non-essential mail: no sign-in, one button. */
export function UnsubscribePage(props: UnsubscribePageProps) {
  if (!("address" in props))
    return (
      <article class="auth-card">
        <header>
          <h1>{props.state === "expired" ? "This link has expired" : "This link does not work"}</h1>
        </header>
        <p>
          {props.state === "expired"
            ? "Unsubscribe links work for a year. Use the link at the foot of a newer e-mail, or choose your notifications in your account."
            : "The unsubscribe link is incomplete or was changed. Open it again from the foot of the e-mail, or choose your notifications in your account."}
        </p>
      </article>
    );
  const whose = props.organization ? `${props.organization}'s` : "this box's";
  return (
    <article class="auth-card">
      <header>
        <h1>{props.state === "done" ? "You are unsubscribed" : "Unsubscribe?"}</h1>
      </header>
      {props.state === "done" ? (
        <p role="status">
          {props.address} gets no more of {whose} notification e-mails. Messages you must get, such as password resets
          and invitations, still arrive.
        </p>
      ) : (
        <form method="post" action={props.action}>
          <p>
            Stop {whose} notification e-mails to <strong>{props.address}</strong>? Messages you must get, such as
            password resets and invitations, still arrive.
          </p>
          <CsrfField token={props.csrf} />
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit">Unsubscribe</button>
        </form>
      )}
    </article>
  );
}
