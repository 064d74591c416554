/** @jsxImportSource hono/jsx */
export type ErrorPageProps = {
  status: number;
  title: string;
  message: string;
  requestId: string;
  /** Field by field, for a refused form or query: what to change. */
  details?: { path: string; message: string }[];
};

/**
 * The body of every console error. A fragment on its own (htmx swaps 4xx/5xx responses in
 * htmx 4), wrapped in the layout for full page loads.
 */
export function ErrorPage(props: ErrorPageProps) {
  return (
    <article class="error-page" role="alert">
      <header>
        <p class="error-status">Error {props.status}</p>
        <h1>{props.title}</h1>
      </header>
      <p>{props.message}</p>
      {props.details && props.details.length > 0 ? (
        <ul class="error-details">
          {props.details.map((detail) => (
            <li>
              {detail.path ? <strong>{detail.path}: </strong> : null}
              {detail.message}
            </li>
          ))}
        </ul>
      ) : null}
      <footer>
        <small>
          Reference <code>{props.requestId}</code>. <a href="/">Back to the start page</a>
        </small>
      </footer>
    </article>
  );
}
