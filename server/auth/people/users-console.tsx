/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { requireAnyPermission, requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormSpec, validateForm } from "../../http/validate-form.ts";
import { createInvitation } from "./invitations.ts";
import { removeMember } from "./member-removal.ts";
import { inviteUserInput, updateUserInput } from "./people-schemas.ts";
import { updateUser } from "./user-updates.ts";
import { inviteUser, personName, personOrNotFound } from "./users.ts";
import { changeAndRender, renderUsersPage } from "./users-console-view.tsx";

type InviteValues = { email: string; name: string; role: string };

const inviteForm: FormSpec<InviteValues> = {
  values: (form) => ({ email: form.text("email"), name: form.text("name"), role: form.text("role") }),
  invalid: (c, values, { errors, status }) => renderUsersPage(c, { invite: { values, errors } }, status),
  refusal: (error) => {
    if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
      throw error;
    }
    const detail = error.details[0];
    const errors = detail ? { [detail.path]: detail.message } : { form: error.message };
    return { errors, status: error.status as ContentfulStatusCode };
  },
};

/** A role the select cannot send reads as the page's message, like the service's refusals (changeAndRender). */
const roleForm: FormSpec<{ role: string }> = {
  values: (form) => ({ role: form.text("role") }),
  invalid: (c, _values, { errors, status }) =>
    renderUsersPage(
      c,
      { flash: { kind: "error", text: Object.values(errors)[0] ?? "The request is not valid." } },
      status,
    ),
};

/** Settings → Users and roles: the people, invitations, role changes and deactivation. */
export const usersConsole = new Hono<AppEnv>()
  .get("/", requireAnyPermission("users.manage", "roles.manage"), (c) =>
    renderUsersPage(c, { cursor: c.req.query("cursor") || undefined }),
  )
  .get("/:id/deactivate", requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return renderUsersPage(c, { confirmDeactivateId: person.user.id });
  })
  .post("/invite", requirePermission("users.manage"), validateForm(inviteUserInput, inviteForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      const person = inviteUser(serviceContext(c), input, c.var.deps.config.baseUrl);
      // One answer whether or not the address has an account here: the person decides to join.
      const text = `Invitation sent to ${person.user.email}. They join when they accept it.`;
      return renderUsersPage(c, { flash: { kind: "notice", text } });
    } catch (error) {
      return refused(error);
    }
  })
  .post("/:id/role", requirePermission("users.manage"), validateForm(updateUserInput, roleForm), (c) => {
    const { input } = c.req.valid("form");
    const id = c.req.param("id");
    return changeAndRender(c, () => {
      const person = updateUser(serviceContext(c), id, input);
      return person.pending
        ? `${personName(person)}'s invitation now offers the role you chose. Send it again so that they see it: the earlier link no longer works.`
        : `${personName(person)} now has the role you chose. Their sessions in this organisation were ended so the change applies at once.`;
    });
  })
  .post("/:id/deactivate", requirePermission("users.manage"), (c) =>
    changeAndRender(c, () => {
      const person = updateUser(serviceContext(c), c.req.param("id"), { status: "deactivated" });
      return `${personName(person)} was deactivated: signed out everywhere, API keys revoked.`;
    }),
  )
  .get("/:id/remove", requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return renderUsersPage(c, { confirmRemoveId: person.user.id });
  })
  .post("/:id/remove", requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return changeAndRender(c, () => {
      const removal = removeMember(serviceContext(c), person.user.id);
      return removal.removed === "invitation"
        ? `The invitation of ${personName(person)} was withdrawn.`
        : `${personName(person)} was removed from this organisation.`;
    });
  })
  .post("/:id/reactivate", requirePermission("users.manage"), (c) =>
    changeAndRender(c, () => {
      const person = updateUser(serviceContext(c), c.req.param("id"), { status: "active" });
      return `${personName(person)} was reactivated.`;
    }),
  )
  .post("/:id/resend", requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return changeAndRender(c, () => {
      createInvitation(
        serviceContext(c),
        { email: person.user.email, role: person.role, name: personName(person) },
        c.var.deps.config.baseUrl,
      );
      return `A new invitation was sent to ${person.user.email}; the earlier link no longer works.`;
    });
  });
