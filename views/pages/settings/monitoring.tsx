/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type MonitoringCheck = { label: string; ok: boolean; message: string | null };

export type MonitoringPageProps = {
  switcher: OrganizationSwitcherProps;
  /** Every check as it reads now. */
  checks: MonitoringCheck[];
  /** What the instance admins were last told, with when (UTC); null before the first problem. */
  lastNotice: { failing: boolean; since: string; problems: string[] } | null;
  /** The current metrics token's last characters and age; null when there is none. */
  token: { hint: string; createdAt: string } | null;
  /** A token just made: shown this once. */
  newToken: string | null;
  metricsUrl: string;
  /** The box's instance admin: the only one who makes or revokes the metrics token. */
  canManageToken: boolean;
  csrf: string | null;
  notice: string | null;
  error: string | null;
};

/** Settings → Monitoring: the self-check's view of the box and access to /metrics. */
export function MonitoringPage(props: MonitoringPageProps) {
  return (
    <SettingsFrame current="/settings/monitoring" switcher={props.switcher}>
      <header>
        <h1>Monitoring</h1>
        <p>
          Opsbox checks its disk, its database and its backups every 30 seconds. When something goes wrong the box's
          instance admin gets one alert (a banner here and an e-mail) and one more when it is resolved.
        </p>
      </header>
      <FormMessage notice={props.notice} error={props.error} />
      <section aria-labelledby="monitoring-checks-heading">
        <h2 id="monitoring-checks-heading">Checks</h2>
        <table id="monitoring-checks">
          <tbody>
            {props.checks.map((check) => (
              <tr>
                <th scope="row">{check.label}</th>
                <td>{check.ok ? "OK" : "Failing"}</td>
                <td>{check.message ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.lastNotice ? (
          <p class="muted" id="monitoring-last-notice">
            {props.lastNotice.failing
              ? `Alert sent ${props.lastNotice.since} UTC: ${props.lastNotice.problems.join(", ")}.`
              : `All good again since ${props.lastNotice.since} UTC (last problem: ${props.lastNotice.problems.join(", ")}).`}
          </p>
        ) : null}
      </section>
      <section aria-labelledby="monitoring-metrics-heading">
        <h2 id="monitoring-metrics-heading">Prometheus metrics</h2>
        <p>
          <code>{props.metricsUrl}</code> answers processes on this machine. A scraper elsewhere sends{" "}
          <code>Authorization: Bearer</code> with the metrics token.
        </p>
        {props.newToken ? (
          <p class="form-message form-message-notice" id="metrics-token-new">
            The new metrics token, shown only now: <code>{props.newToken}</code>
          </p>
        ) : null}
        <p id="metrics-token-state">
          {props.token
            ? `A metrics token ending in ${props.token.hint} exists since ${props.token.createdAt} UTC.`
            : "There is no metrics token: only this machine can read the metrics."}
        </p>
        {props.canManageToken ? (
          <form
            method="post"
            action="/settings/monitoring/metrics-token"
            hx-post="/settings/monitoring/metrics-token"
            hx-target="#main"
          >
            <CsrfField token={props.csrf} />
            <button type="submit" name="action" value="rotate">
              {props.token ? "Replace the metrics token" : "Create a metrics token"}
            </button>{" "}
            {props.token ? (
              <button type="submit" name="action" value="revoke" class="secondary">
                Revoke it
              </button>
            ) : null}
          </form>
        ) : (
          <p class="muted" id="metrics-token-read-only">
            Only the box's instance admin can create or revoke the metrics token.
          </p>
        )}
      </section>
    </SettingsFrame>
  );
}
