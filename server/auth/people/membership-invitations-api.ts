import { Hono } from "hono";
import { z } from "zod";
import { apiDoc } from "../../http/api-doc.ts";
import { pageOfAll, pageQuery } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAuth } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { assertMayAnswerInvitations, pinnedOrganizationId } from "../sso/sso-pinning.ts";
import {
  acceptMembershipInvitation,
  declineMembershipInvitation,
  listMyInvitations,
  type MyInvitation,
} from "./membership-invitations.ts";
import { requestMeta } from "./password-reset-api.ts";

const docs = {
  getMeInvitations: apiDoc({ summary: "Organisations that invite me and wait for my answer", tags: ["Account"] }),
  postMeInvitationsAccept: apiDoc({
    summary: "Accept an invitation with the e-mailed link's token (signed in with a session only)",
    tags: ["Account"],
  }),
  postMeInvitationsDecline: apiDoc({
    summary: "Decline an invitation (signed in with a session only)",
    tags: ["Account"],
  }),
};

export const acceptMembershipInput = z.object({
  token: z.string().min(1, "The invitation token is missing.").max(128),
});

function invitationJson(invitation: MyInvitation) {
  return {
    id: invitation.id,
    organization: { id: invitation.organizationId, name: invitation.organizationName },
    role: invitation.roleName,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

/**
 * The person's own answer must come from their own sign-in: an API key belongs to an
 * organisation, and a single sign-on session speaks for its organisation only.
 */
function sessionUserId(c: { var: AppEnv["Variables"] }): string {
  const auth = c.var.auth;
  if (!auth?.session) throw new AppError("forbidden", "Answer invitations signed in as yourself, not with an API key.");
  assertMayAnswerInvitations(c.var.deps.db, auth);
  return auth.user.id;
}

/** /me/invitations: joining another organisation is the person's own choice. */
export const membershipInvitationsApi = new Hono<AppEnv>()
  .get("/", docs.getMeInvitations, requireAuth(), validate("query", pageQuery), (c) => {
    const auth = c.var.auth;
    if (!auth) throw new AppError("unauthenticated", "Sign in to continue.");
    // Other organisations' invitations are the person's business, not that of a provider's organisation.
    const invitations = pinnedOrganizationId(auth) ? [] : listMyInvitations(c.var.deps.db, auth.user.id);
    return c.json(pageOfAll(invitations.map(invitationJson), c.req.valid("query")));
  })
  .post("/accept", docs.postMeInvitationsAccept, requireAuth(), validate("json", acceptMembershipInput), (c) => {
    const userId = sessionUserId(c);
    const result = acceptMembershipInvitation(c.var.deps.db, {
      token: c.req.valid("json").token,
      userId,
      meta: requestMeta(c),
    });
    if (!result.ok && result.reason === "wrong_account") {
      throw new AppError("forbidden", "This invitation is for another account.");
    }
    if (!result.ok) {
      throw new AppError(
        "not_found",
        "The invitation link is not valid any more: used, replaced, declined, withdrawn or expired.",
      );
    }
    return c.json({ organization: { id: result.orgId, name: result.organizationName } });
  })
  .post("/:id/decline", docs.postMeInvitationsDecline, requireAuth(), (c) => {
    declineMembershipInvitation(c.var.deps.db, {
      invitationId: c.req.param("id"),
      userId: sessionUserId(c),
      meta: requestMeta(c),
    });
    return c.body(null, 204);
  });
