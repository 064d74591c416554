/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import { z } from "zod";
import { UnsubscribePage } from "../../views/pages/mail/unsubscribe.tsx";
import { renderPage } from "../console/render.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { validate } from "../http/validate.ts";
import { readPostedForm } from "../http/validate-form.ts";
import { readUnsubscribeLink, type UnsubscribeLink, unsubscribeByLink } from "./unsubscribe.ts";

const page = { title: "Unsubscribe", bare: true };
const tokenParam = z.object({ token: z.string().min(1).max(2000) });

function answer(c: Context<AppEnv>, token: string, link: UnsubscribeLink, done: boolean) {
  if (!link.ok) {
    const expired = link.refused === "expired";
    return renderPage(c, page, <UnsubscribePage state={expired ? "expired" : "invalid"} />, expired ? 410 : 404);
  }
  return renderPage(
    c,
    page,
    <UnsubscribePage
      state={done || link.unsubscribed ? "done" : "confirm"}
      address={link.address}
      organization={link.organization}
      action={`/unsubscribe/${token}`}
      csrf={formCsrf(c)}
    />,
  );
}

/**
 * /unsubscribe/<token>, the footer link and `List-Unsubscribe` target of non-essential mail. No
 * sign-in: the signed token is the authority. GET only asks (mail scanners open links), POST
 * unsubscribes: the page's button, or a mail client's RFC 8058 one-click POST, which carries no
 * cookie and no form token (CSRF applies only to requests with a session cookie).
 */
export const unsubscribeConsole = new Hono<AppEnv>()
  .get("/:token", validate("param", tokenParam), (c) => {
    const { token } = c.req.valid("param");
    return answer(c, token, readUnsubscribeLink(c.var.deps, token), false);
  })
  .post("/:token", validate("param", tokenParam), async (c) => {
    const { token } = c.req.valid("param");
    const fromPage = (await readPostedForm(c)).has("confirm");
    const link = unsubscribeByLink(c.var.deps, token, fromPage ? "unsubscribe_page" : "one_click");
    return answer(c, token, link, true);
  });
