/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { LogoForm, LogoPage, type LogoProps } from "../../views/pages/settings/logo.tsx";
import { renderPage } from "../console/render.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requirePermission, serviceContext } from "../http/guards.ts";
import { isHtmxRequest } from "../http/htmx.ts";
import { refusalFrom } from "../http/validate-form.ts";
import { readStoredBytes } from "./attachments.ts";
import { changeOrganizationLogo, findOrganizationLogo, logoProblem } from "./logo.ts";

type State = Partial<Pick<LogoProps, "errors" | "flash">>;

function render(c: Context<AppEnv>, state: State, status: ContentfulStatusCode = 200): Response | Promise<Response> {
  const ctx = serviceContext(c);
  const logo = findOrganizationLogo(ctx.db, ctx.orgId);
  const bytes = logo ? readStoredBytes(c.var.deps.config.dataDir, logo.sha256) : null;
  const preview = bytes ? `data:image/png;base64,${Buffer.from(bytes).toString("base64")}` : null;
  const props: LogoProps = {
    preview,
    sizeBytes: logo?.sizeBytes ?? null,
    errors: state.errors ?? {},
    flash: state.flash ?? null,
    csrf: formCsrf(c),
  };
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<LogoForm {...props} />, status);
  return renderPage(
    c,
    // The header marks Settings by its first page; the settings menu marks this section.
    { title: "Logo", current: "/settings/users" },
    <LogoPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

/** Settings → Logo: the same as PUT and DELETE /api/v1/mail/logo, with a file upload. */
export const logoConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => render(c, {}))
  .post("/", requirePermission("settings.manage"), async (c) => {
    const body = await c.req.parseBody();
    const file = body.logo;
    const bytes = file instanceof File ? new Uint8Array(await file.arrayBuffer()) : new Uint8Array();
    // The file is the whole input; the service checks it again (type, size, dimensions).
    const problem = logoProblem(bytes);
    if (problem) return render(c, { errors: { logo: problem } }, 422);
    try {
      changeOrganizationLogo(serviceContext(c), c.var.deps.config.dataDir, bytes);
    } catch (error) {
      const refusal = refusalFrom(error);
      return render(c, { errors: refusal.errors }, refusal.status);
    }
    return render(c, { flash: { kind: "notice", text: "Saved. Your e-mails show this logo from now on." } });
  })
  .post("/remove", requirePermission("settings.manage"), (c) => {
    changeOrganizationLogo(serviceContext(c), c.var.deps.config.dataDir, null);
    return render(c, { flash: { kind: "notice", text: "Removed. Your e-mails show the organisation's name only." } });
  });
