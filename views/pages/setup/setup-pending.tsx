/** Shown on /setup until the first-boot wizard exists. */
export function SetupPendingPage() {
  return (
    <article>
      <header>
        <h1>Welcome to Opsbox</h1>
      </header>
      <p>This box has not been set up yet.</p>
      <p>
        The first-boot setup, where you name your organisation and create the administrator account, is coming soon.
        Until then there is nothing to configure here.
      </p>
      <p>
        Check the box from a terminal with <code>npm run opsbox -- doctor</code>.
      </p>
    </article>
  );
}
