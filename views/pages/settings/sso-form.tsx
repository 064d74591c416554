/** @jsxImportSource hono/jsx */
import type { Child } from "hono/jsx";
import type { SsoKind } from "../../../server/auth/sso/sso-schemas.ts";
import { CsrfField } from "../../components/csrf-field.tsx";

/** What the add and edit forms show: what the admin typed, never the client secret. */
export type SsoFormValues = {
  kind: string;
  name: string;
  tenant: string;
  issuer: string;
  clientId: string;
  /** One rule a line: `example.com = member`. */
  domainRules: string;
  enabled: boolean;
};

export type SsoFormErrors = Partial<Record<keyof SsoFormValues | "clientSecret" | "form", string>>;

export const ssoKindLabels: Record<SsoKind, string> = {
  google: "Google",
  microsoft: "Microsoft Entra ID",
  oidc: "OpenID Connect (Keycloak, Authentik, Zitadel…)",
};

export type SsoFormProps = {
  /** null for the add form; the provider's id when editing. */
  editing: { id: string; kind: SsoKind; name: string } | null;
  values: SsoFormValues;
  errors: SsoFormErrors;
  /** Roles a domain rule may give, as `key (label)` hints. */
  roleHints: string[];
  csrfToken: string | null;
};

function Field(props: {
  label: string;
  name: keyof SsoFormValues | "clientSecret";
  error?: string;
  hint?: string;
  children: Child;
}) {
  const help = `sso-${props.name}-help`;
  return (
    <div class={`sso-field sso-field-${props.name}`}>
      <label for={`sso-${props.name}`}>{props.label}</label>
      {props.children}
      {props.error || props.hint ? <small id={help}>{props.error ?? props.hint}</small> : null}
    </div>
  );
}

const invalid = (error: string | undefined) => (error ? "true" : undefined);

/** The add or edit form of a provider; the kind's own fields (issuer, tenant) follow the kind chosen. */
export function SsoProviderForm(props: SsoFormProps) {
  const { values, errors, editing } = props;
  const action = editing ? `/settings/sso/${editing.id}` : "/settings/sso";
  const kind = editing?.kind ?? values.kind;
  return (
    <form
      method="post"
      action={action}
      hx-post={action}
      hx-target="#main"
      class={editing ? "sso-form" : "sso-form sso-form-add"}
      novalidate
    >
      <CsrfField token={props.csrfToken} />
      {errors.form ? (
        <p class="form-message form-message-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      {editing ? (
        <p>
          Kind: <strong>{ssoKindLabels[editing.kind]}</strong>
        </p>
      ) : (
        <Field label="Kind" name="kind" error={errors.kind}>
          <select id="sso-kind" name="kind" aria-invalid={invalid(errors.kind)}>
            {(Object.keys(ssoKindLabels) as SsoKind[]).map((option) => (
              <option value={option} selected={values.kind === option}>
                {ssoKindLabels[option]}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field label="Name on the sign-in button" name="name" error={errors.name}>
        <input
          id="sso-name"
          name="name"
          value={values.name}
          maxlength={80}
          placeholder="Acme Google Workspace"
          aria-invalid={invalid(errors.name)}
          aria-describedby="sso-name-help"
        />
      </Field>
      {editing && kind !== "microsoft" ? null : (
        <Field
          label="Directory (tenant)"
          name="tenant"
          error={errors.tenant}
          hint="Microsoft only: the tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com."
        >
          <input
            id="sso-tenant"
            name="tenant"
            value={values.tenant}
            maxlength={100}
            aria-invalid={invalid(errors.tenant)}
            aria-describedby="sso-tenant-help"
          />
        </Field>
      )}
      {editing && kind !== "oidc" ? null : (
        <Field
          label="Issuer URL"
          name="issuer"
          error={errors.issuer}
          hint="OpenID Connect only, e.g. https://keycloak.example.com/realms/acme. Google's and Microsoft's are filled in for you."
        >
          <input
            id="sso-issuer"
            name="issuer"
            type="url"
            value={values.issuer}
            maxlength={500}
            placeholder="https://"
            aria-invalid={invalid(errors.issuer)}
            aria-describedby="sso-issuer-help"
          />
        </Field>
      )}
      <Field label="Client ID" name="clientId" error={errors.clientId}>
        <input
          id="sso-clientId"
          name="clientId"
          value={values.clientId}
          maxlength={500}
          autocomplete="off"
          aria-invalid={invalid(errors.clientId)}
          aria-describedby="sso-clientId-help"
        />
      </Field>
      <Field
        label="Client secret"
        name="clientSecret"
        error={errors.clientSecret}
        hint={
          editing
            ? "Leave empty to keep the secret that is stored. It is never shown again."
            : "Stored encrypted and never shown again."
        }
      >
        <input
          id="sso-clientSecret"
          name="clientSecret"
          type="password"
          value=""
          maxlength={2000}
          autocomplete="new-password"
          aria-invalid={invalid(errors.clientSecret)}
          aria-describedby="sso-clientSecret-help"
        />
      </Field>
      <Field
        label="Who may join"
        name="domainRules"
        error={errors.domainRules}
        hint={`One rule a line, “domain = role”: people whose verified e-mail is at that domain get an account with that role on their first sign-in, once the box's instance admin has approved the domain for this organisation (Domains for domain rules, below). Roles: ${props.roleHints.join(", ")}. Leave empty to let only existing members sign in.`}
      >
        <textarea
          id="sso-domainRules"
          name="domainRules"
          rows={3}
          placeholder="example.com = member"
          aria-invalid={invalid(errors.domainRules)}
          aria-describedby="sso-domainRules-help"
        >
          {values.domainRules}
        </textarea>
      </Field>
      <label>
        <input type="checkbox" name="enabled" value="on" checked={values.enabled} />
        Show on the sign-in page
      </label>
      <div class="sso-form-actions">
        <button type="submit">{editing ? "Save changes" : "Add provider"}</button>
        {editing ? (
          <a href="/settings/sso" class="sso-cancel">
            Cancel
          </a>
        ) : null}
      </div>
    </form>
  );
}
