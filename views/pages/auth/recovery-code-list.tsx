/** @jsxImportSource hono/jsx */
/** Recovery codes at the one moment they can be seen. */
export function RecoveryCodeList(props: { codes: string[] }) {
  return (
    <section class="recovery-codes" aria-labelledby="recovery-codes-title">
      <h2 id="recovery-codes-title">Your recovery codes</h2>
      <p>
        Each code signs you in once if you lose your authenticator. Save them in your password manager or print them:
        they will not be shown again.
      </p>
      <ul class="recovery-code-list">
        {props.codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
