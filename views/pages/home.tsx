/** @jsxImportSource hono/jsx */
/** The start page once the box is set up; the Pulse dashboard replaces it. */
export function HomePage(props: { organisationName: string | null }) {
  return (
    <article>
      <header>
        <h1>{props.organisationName ?? "Opsbox"}</h1>
      </header>
      <p>Your workspace is ready. Projects, tasks and the rest of the console arrive here as they ship.</p>
    </article>
  );
}
