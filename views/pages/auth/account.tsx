/** @jsxImportSource hono/jsx */

import { CsrfField } from "../../components/csrf-field.tsx";
import { AccountInvitations, type InvitationRow } from "./account-invitations.tsx";
import { AccountOrganizations, type OrganizationRow } from "./account-organizations.tsx";
import { AccountSessions, type SessionRow } from "./account-sessions.tsx";
import { AccountTwoFactor, type TwoFactorSectionState, type TwoFactorStatus } from "./account-two-factor.tsx";
import { type FieldErrors, FormMessage, InputField, NewPasswordFields, RevokeApiKeysField } from "./form-parts.tsx";
import { SignOutButton } from "./sign-out-button.tsx";

export type PasswordSectionState = {
  errors?: FieldErrors;
  error?: string | null;
  notice?: string | null;
  /** The box as the person left it when the form comes back refused; ticked otherwise. */
  revokeApiKeys?: boolean;
};

export type AccountPageProps = {
  user: { name: string; email: string };
  organisation: { name: string; role: string } | null;
  csrf: string | null;
  passwordMinLength: number;
  twoFactor: TwoFactorStatus;
  sessions: SessionRow[];
  invitations: InvitationRow[];
  organizations: OrganizationRow[];
  organizationsState?: { notice?: string | null; error?: string | null };
  password?: PasswordSectionState;
  twoFactorState?: TwoFactorSectionState;
  sessionsNotice?: string | null;
};

/** My profile: who I am, my password, my second factor and where I am signed in. */
export function AccountPage(props: AccountPageProps) {
  return (
    <div class="account-page">
      <header class="account-header">
        <div>
          <h1 class="account-name">{props.user.name}</h1>
          <p>
            {props.user.email}
            {props.organisation ? ` · ${props.organisation.role} at ${props.organisation.name}` : ""}
          </p>
        </div>
        <SignOutButton csrf={props.csrf} />
      </header>
      {props.invitations.length > 0 ? (
        <article>
          <AccountInvitations invitations={props.invitations} csrf={props.csrf} />
        </article>
      ) : null}
      {props.organizations.length > 0 || props.organizationsState ? (
        <article>
          <AccountOrganizations
            organizations={props.organizations}
            csrf={props.csrf}
            notice={props.organizationsState?.notice}
            error={props.organizationsState?.error}
          />
        </article>
      ) : null}
      <article>
        <PasswordSection csrf={props.csrf} minLength={props.passwordMinLength} state={props.password} />
      </article>
      <article>
        <AccountTwoFactor status={props.twoFactor} csrf={props.csrf} state={props.twoFactorState} />
      </article>
      <article>
        <section id="notifications" aria-labelledby="notifications-title">
          <h2 id="notifications-title">Notifications</h2>
          <p>What you are told about, in the console and by e-mail, kind by kind.</p>
          <form method="get" action="/account/notifications">
            <button type="submit" class="secondary">
              Choose your notifications
            </button>
          </form>
        </section>
      </article>
      <article>
        <section id="github" aria-labelledby="github-title">
          <h2 id="github-title">GitHub</h2>
          <p>Connect GitHub so that your commits are suggested in your timesheet draft.</p>
          <form method="get" action="/account/github">
            <button type="submit" class="secondary">
              GitHub connection
            </button>
          </form>
        </section>
      </article>
      <article>
        <section id="your-data" aria-labelledby="your-data-title">
          <h2 id="your-data-title">Your data</h2>
          <p>Everything this organisation holds about you, as JSON files with your uploads.</p>
          <form method="get" action="/account/export">
            <button type="submit" class="secondary">
              Download my data
            </button>
          </form>
        </section>
      </article>
      <article>
        <AccountSessions sessions={props.sessions} csrf={props.csrf} notice={props.sessionsNotice} />
      </article>
    </div>
  );
}

function PasswordSection(props: { csrf: string | null; minLength: number; state?: PasswordSectionState | undefined }) {
  const errors = props.state?.errors ?? {};
  return (
    <section id="password" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form method="post" action="/account/password" hx-post="/account/password" hx-target="#main" hx-swap="innerHTML">
        <FormMessage error={props.state?.error} notice={props.state?.notice} />
        <CsrfField token={props.csrf} />
        <InputField
          label="Current password"
          name="currentPassword"
          type="password"
          autocomplete="current-password"
          error={errors.currentPassword}
        />
        <div class="grid">
          <NewPasswordFields
            label="New password"
            minLength={props.minLength}
            names={{ password: "newPassword", confirm: "confirmPassword" }}
            errors={{ password: errors.newPassword, confirm: errors.confirmPassword }}
          />
        </div>
        <RevokeApiKeysField checked={props.state?.revokeApiKeys ?? true} id="password-revoke-keys-help" />
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}
