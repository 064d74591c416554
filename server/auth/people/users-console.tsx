/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { fieldErrors } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError, validationFailed } from "../../http/errors.ts";
import { requireAnyPermission, requirePermission, serviceContext } from "../../http/guards.ts";
import { readPostedForm } from "../../http/validate-form.ts";
import { createInvitation } from "./invitations.ts";
import { removeMember } from "./member-removal.ts";
import { inviteUserInput, updateUserInput } from "./people-schemas.ts";
import { updateUser } from "./user-updates.ts";
import { inviteUser, personName, personOrNotFound } from "./users.ts";
import { changeAndRender, renderUsersPage } from "./users-console-view.tsx";

/** Settings → Users and roles: the people, invitations, role changes and deactivation. */
export const usersConsole = new Hono<AppEnv>()
  .get("/", requireAnyPermission("users.manage", "roles.manage"), (c) =>
    renderUsersPage(c, { cursor: c.req.query("cursor") || undefined }),
  )
  .get("/:id/deactivate", requirePermission("users.manage"), (c) => {
    const person = personOrNotFound(serviceContext(c), c.req.param("id"));
    return renderUsersPage(c, { confirmDeactivateId: person.user.id });
  })
  .post("/invite", requirePermission("users.manage"), async (c) => {
    const form = await readPostedForm(c);
    const values = { email: form.text("email"), name: form.text("name"), role: form.text("role") };
    const parsed = inviteUserInput.safeParse(values);
    if (!parsed.success) return renderUsersPage(c, { invite: { values, errors: fieldErrors(parsed.error) } }, 422);
    try {
      const person = inviteUser(serviceContext(c), parsed.data, c.var.deps.config.baseUrl);
      // One answer whether or not the address has an account here: the person decides to join.
      const text = `Invitation sent to ${person.user.email}. They join when they accept it.`;
      return renderUsersPage(c, { flash: { kind: "notice", text } });
    } catch (error) {
      if (!(error instanceof AppError) || !["conflict", "forbidden", "validation_failed"].includes(error.code)) {
        throw error;
      }
      const errors = error.details[0] ? { [error.details[0].path]: error.details[0].message } : { form: error.message };
      return renderUsersPage(c, { invite: { values, errors } }, error.status as ContentfulStatusCode);
    }
  })
  .post("/:id/role", requirePermission("users.manage"), async (c) => {
    const parsed = updateUserInput.safeParse({ role: (await readPostedForm(c)).text("role") });
    const id = c.req.param("id");
    return changeAndRender(c, () => {
      if (!parsed.success) throw validationFailed(parsed.error);
      const person = updateUser(serviceContext(c), id, parsed.data);
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
