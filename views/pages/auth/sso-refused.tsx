/** @jsxImportSource hono/jsx */
export type SsoRefusedPageProps = {
  status: number;
  title: string;
  message: string;
  /** Where "Try again" starts a fresh sign-in with the same provider, or null when that cannot help. */
  retryHref: string | null;
  requestId: string;
};

/** A single sign-on that did not end in a session: what happened, in words, and where to go from here. */
export function SsoRefusedPage(props: SsoRefusedPageProps) {
  return (
    <article class="auth-card error-page" role="alert">
      <header>
        <p class="error-status">Single sign-on · Error {props.status}</p>
        <h1>{props.title}</h1>
      </header>
      <p>{props.message}</p>
      <div class="sso-actions">
        {props.retryHref ? (
          <form method="get" action={props.retryHref}>
            <button type="submit">Try again</button>
          </form>
        ) : null}
        <a href="/sign-in">Sign in another way</a>
      </div>
      <footer>
        <small>
          Reference <code>{props.requestId}</code>
        </small>
      </footer>
    </article>
  );
}
