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

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(1024),
  newPassword: z.string().min(1, "Choose a new password.").max(1024),
});
