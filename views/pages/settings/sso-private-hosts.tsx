/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";

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
            <OrganizationListForm
              action="/settings/sso/private-hosts"
              field="hosts"
              scope={editor.scope}
              name={editor.name}
              value={editor.hosts}
              error={editor.error}
              placeholder="keycloak.office.lan"
              hint="Host names or IP addresses, without http:// or a port."
              button={`Save hosts for ${editor.name}`}
              csrfToken={props.csrfToken}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}

/**
 * One organisation's list in an instance admin's form (private hosts, approved domains): one
 * name a line, handed back with the error on a 422.
 */
export function OrganizationListForm(props: {
  action: string;
  /** The form field's name, and the prefix of its ids. */
  field: string;
  scope: string;
  name: string;
  value: string;
  error?: string;
  placeholder: string;
  hint: string;
  button: string;
  csrfToken: string | null;
}) {
  const id = `sso-${props.field}-${props.scope}`;
  return (
    <form method="post" action={props.action} hx-post={props.action} hx-target="#main" novalidate>
      <CsrfField token={props.csrfToken} />
      <input type="hidden" name="scope" value={props.scope} />
      <label>
        {props.name}
        <textarea
          name={props.field}
          rows={2}
          placeholder={props.placeholder}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={`${id}-help`}
        >
          {props.value}
        </textarea>
        <small id={`${id}-help`}>{props.error ?? props.hint}</small>
      </label>
      <div class="sso-form-actions">
        <button type="submit" class="secondary">
          {props.button}
        </button>
      </div>
    </form>
  );
}
