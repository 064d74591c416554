import { z } from "zod";

/** A six-digit code from the authenticator app, or one of the recovery codes. */
export const twoFactorCodeInput = z.object({
  code: z.string().trim().min(1, "Enter the code from your authenticator app.").max(64, "That code is too long."),
});

/** Turning 2FA off needs a current code or the password. */
export const disableTwoFactorInput = z
  .object({
    code: z.string().trim().max(64).optional(),
    password: z.string().max(1024).optional(),
  })
  .refine((input) => Boolean(input.code || input.password), {
    message: "Enter a code from your authenticator app or your password.",
    path: ["code"],
  });

/** Whether my API keys stop working too; on unless turned off, since a leaked password may have minted them. */
const revokeApiKeys = z
  .boolean({ error: "Must be true or false." })
  .default(true)
  .describe("Also revoke every API key I own, in every organisation (default true).");

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: z.string().min(1, "Choose a new password.").max(1024),
  revokeApiKeys,
});

/** DELETE /me/sessions/others: the body is optional (none at all means the defaults). */
export const signOutOthersInput = z.object({ revokeApiKeys });
