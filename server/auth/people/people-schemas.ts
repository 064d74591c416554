import { z } from "zod";
import { limitQuery } from "../../http/cursor.ts";
import { isId } from "../../tools/ids.ts";
import { isBuiltInRole, permissions } from "../roles/permissions.ts";

/** One schema per request, shared by the API, the console forms and the CLI. */

export const emailAddress = z
  .string()
  .trim()
  .max(254, "Use at most 254 characters.")
  .pipe(z.email("Enter a valid e-mail address."))
  .transform((email) => email.toLowerCase());

export const personName = z.string().trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

/** A built-in role name or a custom role id (`rol_…`); whether the custom role exists is checked in the service. */
export const roleName = z
  .string()
  .trim()
  .refine((role) => isBuiltInRole(role) || isId("rol", role), {
    message: "Choose admin, manager, team_lead, member, viewer or a custom role id.",
  });

export const listQuery = z.object({
  limit: limitQuery(),
  cursor: z.string().max(200).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const inviteUserInput = z.object({ email: emailAddress, name: personName, role: roleName });
export type InviteUserInput = z.infer<typeof inviteUserInput>;

export const invitationInput = z.object({ email: emailAddress, role: roleName, name: personName.optional() });
export type InvitationInput = z.infer<typeof invitationInput>;

export const updateUserInput = z
  .object({
    role: roleName.optional(),
    status: z.enum(["active", "deactivated"]).optional(),
    name: personName.optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one of role, status or name.",
  });
export type UpdateUserInput = z.infer<typeof updateUserInput>;

// Long enough for any policy; the strength rules (and the policy's minimum) run in the service.
const newPassword = z.string().min(1, "Choose a password.").max(1024, "Use at most 1024 characters.");

export const passwordResetRequestInput = z.object({ email: emailAddress });
export const passwordResetConfirmInput = z.object({
  token: z.string().min(1, "The reset token is missing.").max(128),
  password: newPassword,
});
export const acceptInvitationInput = z.object({
  token: z.string().min(1, "The invitation token is missing.").max(128),
  password: newPassword,
});

export const createOrganizationInput = z.object({
  name: z.string().trim().min(1, "Enter the organisation's name.").max(120, "Use at most 120 characters."),
  adminEmail: emailAddress,
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;

export const switchOrganizationInput = z.object({ organizationId: z.string().trim().min(1).max(64) });

const rolePermissionList = z
  .array(z.enum(permissions, { error: `Use permission names: ${permissions.join(", ")}.` }))
  .max(permissions.length)
  .transform((list) => [...new Set(list)]);

const customRoleName = z.string().trim().min(1, "Name the role.").max(60, "Use at most 60 characters.");

export const customRoleInput = z.object({ name: customRoleName, permissions: rolePermissionList });
export type CustomRoleInput = z.infer<typeof customRoleInput>;

export const updateCustomRoleInput = z
  .object({ name: customRoleName.optional(), permissions: rolePermissionList.optional() })
  .strict()
  .refine((input) => input.name !== undefined || input.permissions !== undefined, {
    message: "Send a name, permissions or both.",
  });
export type UpdateCustomRoleInput = z.infer<typeof updateCustomRoleInput>;

/** One answer for a member and for someone invited: the difference would tell whether the address had an account. */
export const ALREADY_IN_ORGANIZATION = "This person is already a member of the organisation or invited to it.";

/** One answer for every invitation nobody has accepted yet, to a new address or to an existing account alike. */
export const NOT_ACCEPTED_YET =
  "An invited person becomes active by accepting their invitation; remove them to withdraw it.";
