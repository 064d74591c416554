import { type Context, Hono, type MiddlewareHandler } from "hono";
import type { MailOAuthConnectValues } from "../../../views/pages/settings/mail-oauth.tsx";
import { redirectTo } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { AppError } from "../../http/errors.ts";
import { isInstanceAdmin, requirePermission, serviceContext } from "../../http/guards.ts";
import { type FormRefusal, validateForm } from "../../http/validate-form.ts";
import { MailOAuthConnectError } from "./connect.ts";
import type { GrantPurpose } from "./endpoints.ts";
import { sameState, takeFlowCookie, writeFlowCookie } from "./flow-cookie.ts";
import { grantKeyFor, SENDING_GRANT } from "./grants.ts";
import { mailOAuthConnectInput } from "./schemas.ts";
import { completeMailOAuth, disconnectMailOAuth, startMailOAuth } from "./service.ts";

type Ctx = Context<AppEnv>;

export type MailOAuthConsoleOptions = {
  purpose: GrantPurpose;
  guard: MiddlewareHandler<AppEnv>;
  /** The settings page the connection belongs to. */
  page: string;
  /** The page drawn again with the connect form's errors. */
  invalid: (c: Ctx, values: MailOAuthConnectValues, refusal: FormRefusal) => Response | Promise<Response>;
  /** The mailbox's address, offered to the provider's account picker. */
  loginHint: (c: Ctx) => string | null;
};

/** POST …/oauth/connect and …/oauth/disconnect of one settings page. */
export function mailOAuthConsole(options: MailOAuthConsoleOptions) {
  return new Hono<AppEnv>()
    .post(
      "/connect",
      options.guard,
      validateForm(mailOAuthConnectInput, {
        values: (form) => ({
          provider: form.text("provider"),
          tenant: form.text("tenant").trim(),
          clientId: form.text("clientId").trim(),
          clientSecret: form.text("clientSecret"),
        }),
        // The client secret is never drawn again.
        invalid: (c, { clientSecret: _secret, ...values }, refusal) => options.invalid(c, values, refusal),
      }),
      (c) => {
        const { input, refused } = c.req.valid("form");
        const ctx = serviceContext(c);
        let begun: ReturnType<typeof startMailOAuth>;
        try {
          begun = startMailOAuth(ctx, options.purpose, input, {
            baseUrl: c.var.deps.config.baseUrl,
            loginHint: options.loginHint(c),
          });
        } catch (error) {
          return refused(error);
        }
        writeFlowCookie(c, { ...begun.flow, userId: ctx.userId ?? "", orgId: ctx.orgId });
        return redirectTo(c, begun.url.href);
      },
    )
    .post("/disconnect", options.guard, (c) => {
      disconnectMailOAuth(serviceContext(c), options.purpose);
      return redirectTo(c, `${options.page}?notice=disconnected`);
    });
}

const refusedFlow = () =>
  new AppError(
    "bad_request",
    "This connection could not be verified: it was not started by you in this browser and organisation, or it took longer than 10 minutes. Start again from Settings.",
  );

/**
 * GET /settings/mail-oauth/callback: where Google or Microsoft send the browser back. The flow
 * cookie must match the state, the person and the organisation that started it, and the person
 * must still be allowed to change that grant (the instance admin for sending).
 */
export const mailOAuthCallback = new Hono<AppEnv>().get(
  "/callback",
  requirePermission("settings.manage"),
  async (c) => {
    const flow = takeFlowCookie(c);
    const ctx = serviceContext(c);
    const state = c.req.query("state") ?? "";
    if (!flow || !sameState(state, flow.state) || flow.userId !== ctx.userId || flow.orgId !== ctx.orgId)
      throw refusedFlow();
    const sending = flow.key === SENDING_GRANT;
    if (!sending && flow.key !== grantKeyFor("inbound", ctx.orgId)) throw refusedFlow();
    if (sending && !isInstanceAdmin(c)) throw new AppError("forbidden", "Only the box's instance admin may do this.");
    const page = sending ? "/settings/email" : "/settings/inbound-mail";
    const said = c.req.query("error");
    if (said)
      throw new AppError(
        "bad_request",
        `The provider ended the connection (${said.replace(/[^\w.-]/g, "").slice(0, 60)}).`,
      );
    const code = c.req.query("code");
    if (!code || code.length > 4096)
      throw new AppError("validation_failed", "The provider sent no authorisation code.");
    try {
      await completeMailOAuth(ctx, flow, code, { baseUrl: c.var.deps.config.baseUrl });
    } catch (error) {
      if (error instanceof MailOAuthConnectError) throw new AppError("unavailable", error.message);
      throw error;
    }
    return redirectTo(c, `${page}?notice=connected`);
  },
);
