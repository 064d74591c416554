/** @jsxImportSource hono/jsx */
/** /setup without the setup token: where to find it, and nothing else. */
export function SetupLockedPage(props: { tokenPath: string }) {
  return (
    <article class="setup-locked">
      <header>
        <h1>Welcome to Opsbox</h1>
      </header>
      <p>This box is not set up yet.</p>
      <p>
        The setup link is in the server log, and the token is in <code>{props.tokenPath}</code> (run:{" "}
        <code>sudo cat {props.tokenPath}</code>). Open the link, or add <code>?token=</code> and the token to this
        page's address.
      </p>
    </article>
  );
}
