/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "./form-parts.tsx";

export type GithubPageProps = {
  connection: { login: string; repositories: string[]; status: "connected" | "reconnect" } | null;
  /** The repositories as typed (a refused form); the token is never written back into the page. */
  repositories: string;
  errors: { token?: string; repositories?: string; form?: string };
  notice: string | null;
  csrf: string | null;
};

/** /account/github: the person's GitHub connection for the timesheet draft (a token, write-only). */
export function GithubPage(props: GithubPageProps) {
  const { connection } = props;
  return (
    <div class="account-page">
      <h1>GitHub</h1>
      <p>
        With GitHub connected, your commits of the week are suggested in your <a href="/time/draft">timesheet draft</a>{" "}
        beside the tasks you worked on. Opsbox only reads commits; the token is stored encrypted and never shown again.
      </p>
      <FormMessage error={props.errors.form ?? null} notice={props.notice} />
      {connection?.status === "reconnect" ? (
        <p class="form-message form-message-error" role="alert">
          GitHub refused the token of {connection.login}: reconnect with a new token. Your drafts leave commits out
          until then.
        </p>
      ) : connection ? (
        <p role="status">
          Connected as <strong>{connection.login}</strong>, reading{" "}
          {connection.repositories.length ? connection.repositories.join(", ") : "every repository the token can see"}.
        </p>
      ) : (
        <p>Not connected.</p>
      )}
      <form method="post" action="/account/github" hx-post="/account/github" hx-target="#main" novalidate>
        <CsrfField token={props.csrf} />
        <label>
          {connection ? "New personal access token" : "Personal access token"}
          <input
            type="password"
            name="token"
            value=""
            autocomplete="off"
            required
            aria-invalid={props.errors.token ? "true" : undefined}
            aria-describedby="token-help"
          />
          <small id="token-help">
            {props.errors.token ??
              "A fine-grained token with read access to the repositories' contents (or a classic token with repo)."}
          </small>
        </label>
        <label>
          Repositories (optional)
          <textarea
            name="repositories"
            rows={3}
            aria-invalid={props.errors.repositories ? "true" : undefined}
            aria-describedby="repositories-help"
          >
            {props.repositories}
          </textarea>
          <small id="repositories-help">
            {props.errors.repositories ??
              "One owner/name a line, like acme/site. Empty: every repository the token sees."}
          </small>
        </label>
        <button type="submit">{connection ? "Reconnect" : "Connect GitHub"}</button>
      </form>
      {connection ? (
        <form method="post" action="/account/github/disconnect" hx-post="/account/github/disconnect" hx-target="#main">
          <CsrfField token={props.csrf} />
          <button type="submit" class="secondary">
            Disconnect
          </button>
        </form>
      ) : null}
    </div>
  );
}
