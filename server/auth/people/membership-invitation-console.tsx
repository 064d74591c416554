/** @jsxImportSource hono/jsx */
import type { Context } from "hono";
import { Hono } from "hono";
import { JoinOrganizationPage } from "../../../views/pages/auth/join-organization.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { clearLinkToken, joinTokenCookie, readLinkToken, stashLinkToken } from "../sessions/link-token-cookie.ts";
import { setSessionOrganization } from "../sessions/sessions.ts";
import { acceptMembershipInvitation, declineMembershipInvitation, findJoinLink } from "./membership-invitations.ts";
import { requestMeta } from "./password-reset-api.ts";

type Ctx = Context<AppEnv>;
const title = { title: "Invitation", bare: true };

function invalid(c: Ctx) {
  return renderPage(c, title, <JoinOrganizationPage state="invalid" />, 400);
}

/** The signed-in person behind this browser, when fully signed in with a session (never an API key). */
function signedInUserId(c: Ctx): string | null {
  const auth = c.var.auth;
  return auth?.via === "session" && !auth.pending ? auth.user.id : null;
}

/**
 * /invitations/join: an organisation's invitation for an account that already exists. The
 * e-mailed link alone does nothing; the person accepts or declines it signed in as themselves.
 */
export const membershipInvitationConsole = new Hono<AppEnv>()
  .get("/invitations/join", (c) => {
    const moved = stashLinkToken(c, joinTokenCookie);
    if (moved) return moved;
    const link = findJoinLink(c.var.deps.db, readLinkToken(c, joinTokenCookie));
    if (!link.ok) return invalid(c);
    const who = { email: link.email, organizationName: link.invitation.organizationName };
    const userId = signedInUserId(c);
    if (!userId) return renderPage(c, title, <JoinOrganizationPage state="sign_in" {...who} />);
    if (userId !== link.forUserId) {
      return renderPage(c, title, <JoinOrganizationPage state="wrong_account" {...who} csrf={formCsrf(c)} />, 403);
    }
    return renderPage(
      c,
      title,
      <JoinOrganizationPage state="confirm" {...who} roleName={link.invitation.roleName} csrf={formCsrf(c)} />,
    );
  })
  .post("/invitations/join/accept", requireAuth(), (c) => {
    const { db } = c.var.deps;
    const auth = c.var.auth;
    if (!auth?.session)
      throw new AppError("forbidden", "Answer invitations signed in as yourself, not with an API key.");
    const token = readLinkToken(c, joinTokenCookie) ?? "";
    const result = acceptMembershipInvitation(db, { token, userId: auth.user.id, meta: requestMeta(c) });
    if (!result.ok) return invalid(c);
    clearLinkToken(c, joinTokenCookie);
    setSessionOrganization(db, auth.session.id, result.orgId);
    return redirectTo(c, "/");
  })
  .post("/invitations/join/decline", requireAuth(), (c) => {
    const { db } = c.var.deps;
    const auth = c.var.auth;
    if (!auth?.session)
      throw new AppError("forbidden", "Answer invitations signed in as yourself, not with an API key.");
    const link = findJoinLink(db, readLinkToken(c, joinTokenCookie));
    if (!link.ok || link.forUserId !== auth.user.id) return invalid(c);
    declineMembershipInvitation(db, { invitationId: link.invitation.id, userId: auth.user.id, meta: requestMeta(c) });
    clearLinkToken(c, joinTokenCookie);
    return redirectTo(c, "/account#invitations");
  })
  .post("/account/invitations/:id/decline", requireAuth(), (c) => {
    const auth = c.var.auth;
    if (!auth?.session)
      throw new AppError("forbidden", "Answer invitations signed in as yourself, not with an API key.");
    declineMembershipInvitation(c.var.deps.db, {
      invitationId: c.req.param("id"),
      userId: auth.user.id,
      meta: requestMeta(c),
    });
    return redirectTo(c, "/account#invitations");
  });
