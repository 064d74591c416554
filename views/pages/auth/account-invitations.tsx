/** @jsxImportSource hono/jsx */

import { dayOf } from "../../../server/tools/days.ts";
import { CsrfField } from "../../components/csrf-field.tsx";

export type InvitationRow = { id: string; organizationName: string; roleName: string; expiresAt: Date };

/**
 * Organisations that invited this account and wait for an answer. Accepting needs the
 * e-mailed link as well (the address must be the person's); declining needs nothing more.
 */
export function AccountInvitations(props: { invitations: InvitationRow[]; csrf: string | null }) {
  if (props.invitations.length === 0) return null;
  return (
    <section id="invitations" aria-labelledby="invitations-title">
      <h2 id="invitations-title">Invitations</h2>
      <p>
        These organisations invite your account. To accept one, open the link in its invitation e-mail while signed in
        as yourself. Nothing changes until you do.
      </p>
      <ul class="invitation-list">
        {props.invitations.map((invitation) => (
          <li>
            <strong>{invitation.organizationName}</strong> as {invitation.roleName}
            <small class="muted"> · until {dayOf(invitation.expiresAt)}</small>
            <form
              method="post"
              action={`/account/invitations/${invitation.id}/decline`}
              hx-post={`/account/invitations/${invitation.id}/decline`}
              class="inline-form"
            >
              <CsrfField token={props.csrf} />
              <button type="submit" class="secondary outline compact">
                Decline
              </button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}
