/** @jsxImportSource hono/jsx */
import type { PublicSsoProvider } from "../../../server/auth/sso/sso-providers.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { SettingsNav } from "../../components/settings-nav.tsx";
import { ApprovedDomainsSection, type ApprovedDomainsSectionProps } from "./sso-approved-domains.tsx";
import { type SsoFormProps, SsoProviderForm, ssoKindLabels } from "./sso-form.tsx";
import { PrivateHostsSection, type PrivateHostsSectionProps } from "./sso-private-hosts.tsx";

export type SsoSettingsPageProps = SsoFormProps & {
  providers: PublicSsoProvider[];
  /** Names of custom roles by id, so that rules read "acme.test → Contractor" rather than an id. */
  roleNames: Record<string, string>;
  notice: string | null;
  /** The organisation's allowed private hosts; the instance admin also edits every list there. */
  privateHosts: Omit<PrivateHostsSectionProps, "csrfToken">;
  /** The domains approved for this organisation's rules; the instance admin also edits every organisation's. */
  approvedDomains: Omit<ApprovedDomainsSectionProps, "csrfToken">;
};

/**
 * Settings → Single sign-on: the organisation's providers, the add (or edit) form, the domains
 * approved for domain rules, and allowed private hosts.
 */
export function SsoSettingsPage(props: SsoSettingsPageProps) {
  return (
    <div class="settings-layout">
      <SettingsNav current="/settings/sso" />
      <div class="settings-content">
        <header>
          <h1>Single sign-on</h1>
          <p>
            Let people sign in with Google, Microsoft Entra ID or any OpenID Connect provider. Register Opsbox at the
            provider with the redirect URI shown for each provider below.
          </p>
        </header>
        {props.notice ? (
          <p class="form-message form-message-notice" role="status">
            {props.notice}
          </p>
        ) : null}
        <section aria-labelledby="sso-providers-heading">
          <h2 id="sso-providers-heading">Providers</h2>
          <ProviderTable providers={props.providers} roleNames={props.roleNames} csrfToken={props.csrfToken} />
        </section>
        <section aria-labelledby="sso-form-heading">
          <h2 id="sso-form-heading">{props.editing ? `Edit ${props.editing.name}` : "Add a provider"}</h2>
          <SsoProviderForm {...props} />
        </section>
        <ApprovedDomainsSection {...props.approvedDomains} csrfToken={props.csrfToken} />
        <PrivateHostsSection {...props.privateHosts} csrfToken={props.csrfToken} />
      </div>
    </div>
  );
}

function ProviderTable(props: {
  providers: PublicSsoProvider[];
  roleNames: Record<string, string>;
  csrfToken: string | null;
}) {
  if (props.providers.length === 0) return <p class="empty-state">No single sign-on providers yet.</p>;
  return (
    <div class="overflow-auto">
      <table class="sso-providers">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Who may join</th>
            <th scope="col">Redirect URI</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.providers.map((provider) => (
            <tr id={`sso-provider-${provider.id}`}>
              <td>
                {provider.name}
                <br />
                <small class="muted">{provider.issuer}</small>
              </td>
              <td>{ssoKindLabels[provider.kind].replace(/ \(.*\)$/, "")}</td>
              <td>
                {provider.domainRules.length === 0
                  ? "Existing members only"
                  : provider.domainRules.map((rule, index) => (
                      <>
                        {index > 0 ? <br /> : null}
                        {`${rule.domain} → ${props.roleNames[rule.role] ?? rule.role}`}
                        {rule.approved ? null : (
                          <>
                            {" "}
                            <span class="status status-invited">waits for the instance admin's approval</span>
                          </>
                        )}
                      </>
                    ))}
              </td>
              <td>
                <code class="sso-redirect-uri">{provider.redirectUri}</code>
              </td>
              <td>{provider.enabled ? "On" : "Off"}</td>
              <td>
                <div class="sso-row-actions">
                  <a href={`/settings/sso/${provider.id}/edit`}>Edit</a>
                  <form
                    method="post"
                    action={`/settings/sso/${provider.id}/delete`}
                    hx-post={`/settings/sso/${provider.id}/delete`}
                    hx-target="#main"
                    hx-confirm={`Remove ${provider.name}? People who signed in with it keep their accounts but must sign in another way.`}
                  >
                    <CsrfField token={props.csrfToken} />
                    <button type="submit" class="secondary outline compact">
                      Remove
                    </button>
                  </form>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
