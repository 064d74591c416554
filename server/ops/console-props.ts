import type { Context } from "hono";
import type { MonitoringPageProps } from "../../views/pages/settings/monitoring.tsx";
import { organizationSwitcher } from "../console/settings-frame.ts";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { isInstanceAdmin } from "../http/guards.ts";
import { findMetricsToken } from "./metrics/metrics-token.ts";
import { checkLabels, healthChecks } from "./self-check/checks.ts";
import { findHealthState } from "./self-check/health-state.ts";

const minute = (at: Date | string) => new Date(at).toISOString().slice(0, 16).replace("T", " ");

/** Settings → Monitoring's props: the checks as they read now, the last notice, the metrics token's state. */
export function monitoringPageProps(
  c: Context<AppEnv>,
  state: Partial<Pick<MonitoringPageProps, "newToken" | "notice" | "error">> = {},
): MonitoringPageProps {
  const { db, config } = c.var.deps;
  const checks = Object.entries(healthChecks(c.var.deps)).map(([name, result]) => ({
    label: checkLabels[name] ?? name,
    ok: result.status === "ok",
    message: result.message ?? null,
  }));
  const notice = findHealthState(db);
  const token = findMetricsToken(db);
  return {
    switcher: organizationSwitcher(c),
    checks,
    lastNotice: notice
      ? {
          failing: notice.status === "failing",
          since: minute(notice.since),
          problems: notice.problems.map((item) => item.label),
        }
      : null,
    token: token ? { hint: token.hint, createdAt: minute(token.createdAt) } : null,
    newToken: state.newToken ?? null,
    metricsUrl: `${config.baseUrl}/metrics`,
    canManageToken: isInstanceAdmin(c),
    csrf: formCsrf(c),
    notice: state.notice ?? null,
    error: state.error ?? null,
  };
}
