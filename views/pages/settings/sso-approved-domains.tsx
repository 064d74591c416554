/** @jsxImportSource hono/jsx */
import { OrganizationListForm } from "./sso-private-hosts.tsx";

/** One organisation's approved domains in the instance admin's form, as typed on a 422. */
export type ApprovedDomainsEditor = { orgId: string; name: string; domains: string; error?: string };

export type ApprovedDomainsSectionProps = {
  organisationName: string;
  /** This organisation's approved domains, which its settings admins may read. */
  domains: string[];
  /** The instance admin's forms, one per organisation; null for everyone else. */
  editors: ApprovedDomainsEditor[] | null;
  csrfToken: string | null;
};

/** Settings → Single sign-on: the domains this organisation's domain rules may make accounts at. */
export function ApprovedDomainsSection(props: ApprovedDomainsSectionProps) {
  return (
    <section aria-labelledby="sso-approved-domains-heading">
      <h2 id="sso-approved-domains-heading">Domains for domain rules</h2>
      <p>
        A domain rule lets a provider make an account, with this organisation as its home, for every address at that
        domain. Only the instance admin of this box may vouch that an organisation owns a domain, so a rule makes
        accounts only for a domain approved here; until then it waits, and people at that domain join by invitation.
      </p>
      <p>
        {props.domains.length > 0
          ? `${props.organisationName}'s domain rules may make accounts at: ${props.domains.join(", ")}.`
          : `No domain is approved for ${props.organisationName}'s domain rules yet.`}
      </p>
      {props.editors ? (
        <>
          <p>
            As the instance admin, you approve domains for every organisation on the box. The domains of rules you save
            yourself are approved for that organisation at once.
          </p>
          {props.editors.map((editor) => (
            <OrganizationListForm
              action="/settings/sso/approved-domains"
              field="domains"
              scope={editor.orgId}
              name={editor.name}
              value={editor.domains}
              error={editor.error}
              placeholder="example.com"
              hint="E-mail domains this organisation owns, one a line."
              button={`Save domains for ${editor.name}`}
              csrfToken={props.csrfToken}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}
