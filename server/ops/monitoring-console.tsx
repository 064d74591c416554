/** @jsxImportSource hono/jsx */
import { Hono } from "hono";
import { z } from "zod";
import { MonitoringPage } from "../../views/pages/settings/monitoring.tsx";
import { renderPage } from "../console/render.tsx";
import { redirectTo } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { requireInstanceAdmin, requirePermission, serviceContext } from "../http/guards.ts";
import { type FormSpec, validateForm } from "../http/validate-form.ts";
import { monitoringPageProps } from "./console-props.ts";
import { revokeMetricsToken, rotateMetricsToken } from "./metrics/metrics-token.ts";

const page = { title: "Monitoring", current: "/settings/users" };

const notices: Record<string, string> = { revoked: "Metrics token revoked: only this machine can read the metrics." };

export const metricsTokenInput = z.object({
  action: z.enum(["rotate", "revoke"], { error: "Choose to create, replace or revoke the token." }),
});

const tokenForm: FormSpec<{ action: string }> = {
  values: (form) => ({ action: form.text("action") }),
  invalid: (c, _values, { errors, status }) =>
    renderPage(
      c,
      page,
      <MonitoringPage {...monitoringPageProps(c, { error: errors.action ?? errors.form })} />,
      status,
    ),
};

/**
 * Settings → Monitoring. Any admin may look (the box's health is what /readyz shows them too);
 * the metrics token opens /metrics to other machines, so only the instance admin makes or revokes it.
 */
export const monitoringConsole = new Hono<AppEnv>()
  .get("/", requirePermission("settings.manage"), (c) => {
    const notice = notices[c.req.query("notice") ?? ""] ?? null;
    return renderPage(c, page, <MonitoringPage {...monitoringPageProps(c, { notice })} />);
  })
  .post("/metrics-token", requireInstanceAdmin(), validateForm(metricsTokenInput, tokenForm), (c) => {
    const { db, userId, meta } = serviceContext(c);
    const actor = { userId, meta };
    if (c.req.valid("form").input.action === "revoke") {
      revokeMetricsToken(db, actor);
      return redirectTo(c, "/settings/monitoring?notice=revoked");
    }
    // Answered, not redirected: the token is in this response and nowhere else.
    const newToken = rotateMetricsToken(db, actor);
    c.header("Cache-Control", "no-store");
    return renderPage(c, page, <MonitoringPage {...monitoringPageProps(c, { newToken })} />);
  });
