/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { AcceptInvitationPage } from "../../../views/pages/auth/accept-invitation.tsx";
import { renderPage } from "../../console/render.tsx";
import { type formCsrf, redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { writeSessionCookie } from "../../http/session-cookie.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { findOrganizationPolicy } from "../organizations/org-policy.ts";
import { sessionPolicy } from "../sessions/guard.ts";
import { clearLinkToken, invitationTokenCookie, readLinkToken, stashLinkToken } from "../sessions/link-token-cookie.ts";
import { createSession, invalidateSession } from "../sessions/sessions.ts";
import { recordSignIn } from "../sessions/sign-in.ts";
import { acceptInvitationFormProps } from "./console-props.ts";
import { acceptInvitation, findInvitationByToken, type InvitationDetails } from "./invitation-acceptance.ts";
import { requestMeta } from "./password-reset-api.ts";

const title = { title: "Accept invitation", bare: true };

function formPage(c: Parameters<typeof formCsrf>[0], details: InvitationDetails, errors?: Record<string, string>) {
  return <AcceptInvitationPage {...acceptInvitationFormProps(c, details, errors)} />;
}

/** /invitations/accept: an invited person chooses a password and is signed in. */
export const invitationConsole = new Hono<AppEnv>()
  .get("/", (c) => {
    const moved = stashLinkToken(c, invitationTokenCookie);
    if (moved) return moved;
    const details = findInvitationByToken(c.var.deps.db, readLinkToken(c, invitationTokenCookie));
    if (!details) return renderPage(c, title, <AcceptInvitationPage state="invalid" />, 400);
    return renderPage(c, title, formPage(c, details));
  })
  .post("/", async (c) => {
    const { db, config } = c.var.deps;
    const token = readLinkToken(c, invitationTokenCookie) ?? "";
    const details = findInvitationByToken(db, token);
    if (!details) return renderPage(c, title, <AcceptInvitationPage state="invalid" />, 400);
    const form = await readPostedForm(c);
    const password = form.text("password");
    if (password !== form.text("confirm")) {
      return renderPage(c, title, formPage(c, details, { confirm: "The two passwords are not the same." }), 422);
    }
    const meta = requestMeta(c);
    const result = await acceptInvitation(db, { token, password }, meta);
    if (!result.ok && result.field === "token")
      return renderPage(c, title, <AcceptInvitationPage state="invalid" />, 400);
    if (!result.ok) return renderPage(c, title, formPage(c, details, { password: result.message }), 422);
    // Whoever was signed in on this browser before is signed out: the browser now belongs to the new member.
    if (c.var.auth?.session) invalidateSession(db, c.var.auth.session.id);
    const { session, token: sessionToken } = createSession(db, {
      userId: result.user.id,
      orgId: result.orgId,
      twoFactorVerified: false,
      policy: sessionPolicy(findOrganizationPolicy(c.var.deps.db, result.orgId)),
      ipAddress: meta.ipAddress,
      userAgent: meta.userAgent,
    });
    writeSessionCookie(c, config.baseUrl, sessionToken, session.absoluteExpiresAt);
    clearLinkToken(c, invitationTokenCookie);
    recordSignIn(db, result.user, result.orgId, meta, "invitation");
    return redirectTo(c, "/");
  });
