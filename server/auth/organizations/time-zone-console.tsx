/** @jsxImportSource hono/jsx */
import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  OrganizationSettingsForm,
  OrganizationSettingsPage,
  type OrganizationSettingsProps,
} from "../../../views/pages/settings/organization.tsx";
import { renderPage } from "../../console/render.tsx";
import { organizationSwitcher } from "../../console/settings-frame.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { isHtmxRequest } from "../../http/htmx.ts";
import { validateForm } from "../../http/validate-form.ts";
import { knownTimeZones } from "../../tools/zoned-time.ts";
import { changeTimeZone, findTimeZone, timeZoneInput } from "./time-zone.ts";

type State = Partial<Pick<OrganizationSettingsProps, "timeZone" | "errors" | "flash">>;

function render(c: Context<AppEnv>, state: State, status: ContentfulStatusCode = 200): Response | Promise<Response> {
  const props: OrganizationSettingsProps = {
    timeZone: state.timeZone ?? findTimeZone(serviceContext(c)).timeZone,
    zones: knownTimeZones(),
    errors: state.errors ?? {},
    flash: state.flash ?? null,
    csrf: formCsrf(c),
  };
  if (isHtmxRequest(c) && c.req.method === "POST") return c.html(<OrganizationSettingsForm {...props} />, status);
  return renderPage(
    c,
    // The header marks Settings by its first page; the settings menu marks this section.
    { title: "Organisation", current: "/settings/users" },
    <OrganizationSettingsPage {...props} switcher={organizationSwitcher(c)} />,
    status,
  );
}

/** Settings → Organisation: the time zone (the same as PUT /api/v1/organization/time-zone). */
export const organizationSettingsConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => render(c, {}))
  .post(
    "/",
    requirePermission("settings.manage"),
    validateForm(timeZoneInput, {
      values: (form) => ({ timeZone: form.text("timeZone") }),
      invalid: (c, values, { errors, status }) => render(c, { timeZone: values.timeZone, errors }, status),
    }),
    (c) => {
      const { timeZone } = changeTimeZone(serviceContext(c), c.req.valid("form").input.timeZone);
      return render(c, { timeZone, flash: { kind: "notice", text: `Saved: the organisation works in ${timeZone}.` } });
    },
  );
