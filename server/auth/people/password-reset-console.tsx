/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { ForgotPasswordPage } from "../../../views/pages/auth/forgot-password.tsx";
import { ResetPasswordPage } from "../../../views/pages/auth/reset-password.tsx";
import { renderPage } from "../../console/render.tsx";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { applyRateLimit } from "../../http/rate-limit.ts";
import { type FormSpec, readPostedForm, validateForm } from "../../http/validate-form.ts";
import { clearLinkToken, readLinkToken, resetTokenCookie, stashLinkToken } from "../sessions/link-token-cookie.ts";
import { resetPasswordFormProps } from "./console-props.ts";
import { confirmPasswordReset, findPasswordResetUser, requestPasswordResetLater } from "./password-reset.ts";
import { limitResetRequest, requestMeta, resetLimiters } from "./password-reset-api.ts";
import { passwordResetRequestInput } from "./people-schemas.ts";

const forgotTitle = { title: "Forgot password", bare: true };
const resetTitle = { title: "Reset password", bare: true };

/** The address form: one message for any address the schema refuses; too many requests read as the page's message. */
const forgotForm: FormSpec<{ email: string }> = {
  values: (form) => ({ email: form.text("email") }),
  fields: () => ({ email: "Enter a valid e-mail address." }),
  invalid: (c, { email }, { errors, status, message }) =>
    renderPage(
      c,
      forgotTitle,
      <ForgotPasswordPage
        email={email}
        sent={false}
        csrf={formCsrf(c)}
        {...(message ? { error: message } : { errors })}
      />,
      status,
    ),
  refusal: (error) => {
    if (error instanceof AppError && error.code === "rate_limited")
      return { errors: {}, status: 429, message: error.message };
    throw error;
  },
};

/** /forgot-password and /reset-password: the console side of password reset. */
export const passwordResetConsole = new Hono<AppEnv>()
  .get("/forgot-password", (c) =>
    renderPage(c, forgotTitle, <ForgotPasswordPage email="" sent={false} csrf={formCsrf(c)} />),
  )
  .post("/forgot-password", validateForm(passwordResetRequestInput, forgotForm), (c) => {
    const { input, refused } = c.req.valid("form");
    let send: boolean;
    try {
      send = limitResetRequest(c, input.email).send;
    } catch (error) {
      return refused(error);
    }
    const { db, log, config } = c.var.deps;
    if (send) requestPasswordResetLater({ db, log, baseUrl: config.baseUrl }, input.email, requestMeta(c));
    // The same page whether or not the address has an account, so accounts cannot be enumerated.
    return renderPage(c, forgotTitle, <ForgotPasswordPage email={input.email} sent={true} csrf={null} />);
  })
  .get("/reset-password", (c) => {
    const moved = stashLinkToken(c, resetTokenCookie);
    if (moved) return moved;
    const user = findPasswordResetUser(c.var.deps.db, readLinkToken(c, resetTokenCookie));
    if (!user) return renderPage(c, resetTitle, <ResetPasswordPage state="invalid" />, 400);
    return renderPage(c, resetTitle, <ResetPasswordPage {...resetPasswordFormProps(c, user)} />);
  })
  .post("/reset-password", async (c) => {
    applyRateLimit(c, resetLimiters(c.var.deps).confirm, `reset-confirm:${c.var.clientIp}`);
    const { db } = c.var.deps;
    const token = readLinkToken(c, resetTokenCookie) ?? "";
    const user = findPasswordResetUser(db, token);
    if (!user) return renderPage(c, resetTitle, <ResetPasswordPage state="invalid" />, 400);
    const form = await readPostedForm(c);
    const password = form.text("password");
    const retry = (errors: Record<string, string>) =>
      renderPage(c, resetTitle, <ResetPasswordPage {...resetPasswordFormProps(c, user, errors)} />, 422);
    if (password !== form.text("confirm")) return retry({ confirm: "The two passwords are not the same." });
    const result = await confirmPasswordReset(db, { token, password }, requestMeta(c));
    if (!result.ok)
      return result.field === "token"
        ? renderPage(c, resetTitle, <ResetPasswordPage state="invalid" />, 400)
        : retry({ password: result.message });
    clearLinkToken(c, resetTokenCookie);
    return renderPage(c, resetTitle, <ResetPasswordPage state="done" />);
  });
