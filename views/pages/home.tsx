/** @jsxImportSource hono/jsx */
/** The start page of someone who belongs to no organisation (yet); members get the Pulse. */
export function HomePage(props: { organisationName: string | null }) {
  return (
    <article>
      <header>
        <h1>{props.organisationName ?? "Opsbox"}</h1>
      </header>
      <p>
        You are not a member of any organisation on this box yet. Ask one of its admins to invite you; their invitation
        arrives by e-mail.
      </p>
    </article>
  );
}
