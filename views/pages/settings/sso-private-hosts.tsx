/** @jsxImportSource hono/jsx */

/** One list the instance admin edits: an organisation's (`scope` = its id) or the box's own (`box`). */
export type PrivateHostsEditor = { scope: string; name: string; hosts: string; error?: string };

export type PrivateHostsSectionProps = {
  organisationName: string;
  /** This organisation's list, which its settings admins may read. */
  hosts: string[];
  /** The instance admin's forms, one per list; null for everyone else. */
  editors: PrivateHostsEditor[] | null;
  csrfToken: string | null;
};

/** Settings → Single sign-on: which hosts on a private network this organisation's providers may be on. */
export function PrivateHostsSection(props: PrivateHostsSectionProps) {
  return (
    <section aria-labelledby="sso-private-hosts-heading">
      <h2 id="sso-private-hosts-heading">Providers on your own network</h2>
      <p>
        Opsbox refuses to contact addresses on loopback or private networks, so that a setting cannot be used to reach
        into the network the box runs on. Only the instance admin of this box can allow a host there (an on-premises
        Keycloak), and only for one organisation at a time: a host allowed for one organisation stays out of reach for
        every other.
      </p>
      <p>
        {props.hosts.length > 0
          ? `${props.organisationName} may reach: ${props.hosts.join(", ")}.`
          : `${props.organisationName} may reach no host on a private network.`}
      </p>
      {props.editors ? (
        <>
          <p>
            As the instance admin, you keep these lists for every organisation on the box, and one for what the box
            fetches for itself (AI model downloads).
          </p>
          {props.editors.map((editor) => (
            <PrivateHostsForm editor={editor} csrfToken={props.csrfToken} />
          ))}
        </>
      ) : null}
    </section>
  );
}

function PrivateHostsForm(props: { editor: PrivateHostsEditor; csrfToken: string | null }) {
  const { editor } = props;
  const id = `sso-hosts-${editor.scope}`;
  return (
    <form
      method="post"
      action="/settings/sso/private-hosts"
      hx-post="/settings/sso/private-hosts"
      hx-target="#main"
      novalidate
    >
      {props.csrfToken ? <input type="hidden" name="_csrf" value={props.csrfToken} /> : null}
      <input type="hidden" name="scope" value={editor.scope} />
      <label>
        {editor.name}
        <textarea
          name="hosts"
          rows={2}
          placeholder="keycloak.office.lan"
          aria-invalid={editor.error ? "true" : undefined}
          aria-describedby={`${id}-help`}
        >
          {editor.hosts}
        </textarea>
        <small id={`${id}-help`}>{editor.error ?? "Host names or IP addresses, without http:// or a port."}</small>
      </label>
      <div class="sso-form-actions">
        <button type="submit" class="secondary">
          Save hosts for {editor.name}
        </button>
      </div>
    </form>
  );
}
