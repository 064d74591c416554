/** @jsxImportSource hono/jsx */
import type { ApiKeyStatus, ApiKeyView } from "../../../server/auth/keys/api-key-management.ts";
import type { ApiKeyFormValues } from "../../../server/auth/keys/api-key-schemas.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { ScopeCheckboxes } from "./api-keys-scopes.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type ApiKeysPageProps = {
  keys: ApiKeyView[];
  /** Link to the next (older) page of keys, or null. */
  olderHref: string | null;
  /** The creator's permissions: the scopes a new key may have. */
  availableScopes: readonly string[];
  values: ApiKeyFormValues;
  errors: Partial<Record<keyof ApiKeyFormValues, string>>;
  /** The key just created: its secret is shown this once. */
  created: { name: string; key: string } | null;
  /** For plain (non-htmx) form posts; null for callers without a session. */
  csrfToken: string | null;
  switcher: OrganizationSwitcherProps;
};

const statusLabels: Record<ApiKeyStatus, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

/** A time in UTC, as the column headers say; the date and the time each stay on one line. */
function UtcTime(props: { date: Date; precision?: "day" | "minute" }) {
  const iso = props.date.toISOString();
  return (
    <time datetime={iso}>
      <span class="nowrap">{iso.slice(0, 10)}</span>
      {props.precision === "day" ? null : " "}
      {props.precision === "day" ? null : <span class="nowrap">{iso.slice(11, 16)}</span>}
    </time>
  );
}

/** Settings → API keys: the organisation's keys, the key just created (once) and the create form. */
export function ApiKeysPage(props: ApiKeysPageProps) {
  return (
    <SettingsFrame current="/settings/api-keys" switcher={props.switcher}>
      <header>
        <h1>API keys</h1>
        <p>
          Keys let scripts and integrations use the JSON API as their owner, limited to the scopes chosen here and never
          more than the owner's role allows today.
        </p>
      </header>
      {props.created ? <CreatedKey name={props.created.name} apiKey={props.created.key} /> : null}
      <section aria-labelledby="api-keys-heading">
        <h2 id="api-keys-heading">Keys</h2>
        <ApiKeyTable keys={props.keys} csrfToken={props.csrfToken} />
        {props.olderHref ? (
          <p>
            <a href={props.olderHref}>Older keys</a>
          </p>
        ) : null}
      </section>
      <CreateKeyForm {...props} />
    </SettingsFrame>
  );
}

function CreatedKey(props: { name: string; apiKey: string }) {
  return (
    <article class="key-once" role="status" aria-labelledby="created-key-heading">
      <h2 id="created-key-heading">Key “{props.name}” created</h2>
      <p>
        Copy it now: <strong>you will not see it again.</strong> Only its first characters are kept on the box.
      </p>
      <pre>
        <code id="new-api-key" class="copy-all">
          {props.apiKey}
        </code>
      </pre>
      <p>
        <small>
          Send it as <code>Authorization: Bearer &lt;key&gt;</code> with each request to <code>/api/v1</code>.
        </small>
      </p>
    </article>
  );
}

function ApiKeyTable(props: { keys: ApiKeyView[]; csrfToken: string | null }) {
  if (props.keys.length === 0) return <p class="empty-state">No API keys yet.</p>;
  return (
    <div class="overflow-auto">
      <table class="api-keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Owner</th>
            <th scope="col">Created (UTC)</th>
            <th scope="col">Last used (UTC)</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((key) => (
            <ApiKeyRow apiKey={key} csrfToken={props.csrfToken} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One key's row; also the fragment htmx swaps in after a revoke. */
export function ApiKeyRow(props: { apiKey: ApiKeyView; csrfToken: string | null }) {
  const key = props.apiKey;
  const revokeUrl = `/settings/api-keys/${key.id}/revoke`;
  return (
    <tr id={`api-key-${key.id}`}>
      <td>
        {key.name}
        <code class="key-prefix">{key.prefix}</code>
      </td>
      <td class="scopes">{key.scopes.join(", ")}</td>
      <td>{key.owner.name}</td>
      <td>
        <UtcTime date={key.createdAt} precision="day" />
      </td>
      <td>{key.lastUsedAt ? <UtcTime date={key.lastUsedAt} /> : "Never"}</td>
      <td>
        <span class={`status status-${key.status}`}>{statusLabels[key.status]}</span>
        {key.status === "active" && key.expiresAt ? (
          <small>
            {" "}
            until <UtcTime date={key.expiresAt} precision="day" />
          </small>
        ) : null}
      </td>
      <td>
        {key.status === "revoked" ? null : (
          <form
            class="revoke-form"
            method="post"
            action={revokeUrl}
            hx-post={revokeUrl}
            hx-target="closest tr"
            hx-swap="outerHTML"
            hx-confirm={`Revoke the key “${key.name}”? Anything using it stops working at once.`}
          >
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="secondary outline compact">
              Revoke
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}

function CreateKeyForm(props: ApiKeysPageProps) {
  const { values, errors } = props;
  return (
    <section aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create a key</h2>
      <form method="post" action="/settings/api-keys" hx-post="/settings/api-keys" hx-target="#main" novalidate>
        <CsrfField token={props.csrfToken} />
        <label>
          Name
          <input
            name="name"
            value={values.name}
            maxlength={100}
            required
            placeholder="Accounting export"
            aria-invalid={errors.name ? "true" : undefined}
            aria-describedby={errors.name ? "name-error" : undefined}
          />
          {errors.name ? <small id="name-error">{errors.name}</small> : null}
        </label>
        <ScopeCheckboxes available={props.availableScopes} checked={values.scopes} error={errors.scopes} />
        <label>
          Expires on (optional)
          <input
            type="date"
            name="expiresOn"
            value={values.expiresOn}
            aria-invalid={errors.expiresOn ? "true" : undefined}
            aria-describedby="expires-help"
          />
          <small id="expires-help">
            {errors.expiresOn ?? "The key stops working at the end of this day (UTC). Leave empty for no expiry."}
          </small>
        </label>
        <button type="submit">Create key</button>
      </form>
    </section>
  );
}
