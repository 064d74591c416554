/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { InboundMailForm, InboundMailPage, type InboundMailValues } from "../../views/pages/settings/inbound-mail.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { mailOAuthConsole } from "../mail/oauth/console.tsx";
import { inboundMailProps } from "./console-props.ts";
import { inboundMailInput } from "./schemas.ts";
import { findInbox, saveInbox } from "./settings.ts";

function render(
  c: Context<AppEnv>,
  state: Parameters<typeof inboundMailProps>[1],
  status: ContentfulStatusCode = 200,
): Response | Promise<Response> {
  const props = inboundMailProps(c, state);
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<InboundMailForm {...props} />, status);
  return renderPage(
    c,
    // The header marks Settings by its first page; the settings menu marks this section.
    { title: "Inbound mail", current: "/settings/users" },
    <InboundMailPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

type Values = InboundMailValues & { password: string };

const inboundForm: FormSpec<Values> = {
  values: (form) => ({
    enabled: form.has("enabled"),
    address: form.text("address").trim(),
    host: form.text("host").trim(),
    port: form.text("port").trim(),
    security: form.text("security"),
    authMethod: form.text("authMethod") || "password",
    username: form.text("username").trim(),
    password: form.text("password"),
    folder: form.text("folder").trim(),
    deleteAfterImport: form.has("deleteAfterImport"),
  }),
  input: ({ password, port, ...values }) => ({
    ...values,
    port: /^\d{1,5}$/.test(port) ? Number(port) : Number.NaN,
    ...(password ? { password } : {}),
  }),
  // The password is never drawn again, not even after a refusal.
  invalid: (c, { password: _password, ...values }, { errors, status }) => render(c, { values, errors }, status),
};

/** Settings → Inbound mail: the same settings as PUT /api/v1/mail/inbound. */
const notices: Record<string, string> = {
  connected: "The mailbox is connected. Choose “OAuth” as the way to sign in and save, if not done yet.",
  disconnected: "The mailbox was disconnected; its tokens are deleted.",
};

export const inboundMailConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""];
    return render(c, notice ? { flash: { kind: "notice", text: notice } } : {});
  })
  .post("/", requirePermission("settings.manage"), validateForm(inboundMailInput, inboundForm), (c) => {
    const { input, refused } = c.req.valid("form");
    try {
      saveInbox(serviceContext(c), input);
    } catch (error) {
      return refused(error);
    }
    return render(c, { flash: { kind: "notice", text: "Saved. Opsbox is connecting to the mailbox." } });
  });

/** POST /settings/inbound-mail/oauth/connect and /disconnect: this organisation's mailbox with OAuth. */
export const inboundOAuthConsole = mailOAuthConsole({
  purpose: "inbound",
  guard: requirePermission("settings.manage"),
  page: "/settings/inbound-mail",
  invalid: (c, values, { errors, status }) => render(c, { oauth: { values, errors } }, status),
  loginHint: (c) => findInbox(c.var.deps.db, serviceContext(c).orgId)?.address ?? null,
});
