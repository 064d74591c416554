/** @jsxImportSource hono/jsx */
import type { AuditRow } from "../../../server/audit/people.ts";
import type { AuditConsoleQuery } from "../../../server/audit/schemas.ts";
import type { OrganizationSwitcherProps } from "./organization-switcher.tsx";
import { SettingsFrame } from "./settings-frame.tsx";

export type AuditPageProps = {
  rows: AuditRow[];
  filters: Omit<AuditConsoleQuery, "cursor">;
  errors: Partial<Record<"from" | "to", string>>;
  actions: string[];
  people: { id: string; name: string; email: string }[];
  /** Links built from the filters: the next (older) page, the first page, the CSV export. */
  olderHref: string | null;
  newestHref: string | null;
  exportHref: string;
  switcher: OrganizationSwitcherProps;
};

function formatUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** Settings → Audit log: who did what, from where, with filters, paging and a CSV export. */
export function AuditPage(props: AuditPageProps) {
  const { filters, errors } = props;
  return (
    <SettingsFrame current="/settings/audit" switcher={props.switcher}>
      <header>
        <h1>Audit log</h1>
        <p>Sign-ins, security changes, keys, settings and exports in this organisation, newest first.</p>
      </header>
      <form
        class="audit-filters"
        method="get"
        action="/settings/audit"
        hx-get="/settings/audit"
        hx-trigger="change, submit"
        hx-target="#audit-results"
        hx-select="#audit-results"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <div class="grid">
          <label>
            Action
            <select name="action">
              <option value="">All actions</option>
              {props.actions.map((action) => (
                <option value={action} selected={filters.action === action}>
                  {action}
                </option>
              ))}
            </select>
          </label>
          <label>
            Person
            <select name="actorId">
              <option value="">Everyone</option>
              {props.people.map((person) => (
                <option value={person.id} selected={filters.actorId === person.id}>
                  {person.name} ({person.email})
                </option>
              ))}
            </select>
          </label>
          <DayInput name="from" label="From" value={filters.from} error={errors.from} />
          <DayInput name="to" label="To" value={filters.to} error={errors.to} />
        </div>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      <AuditResults {...props} />
    </SettingsFrame>
  );
}

function DayInput(props: { name: string; label: string; value: string; error: string | undefined }) {
  return (
    <label>
      {props.label}
      <input
        type="date"
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={props.error ? `${props.name}-error` : undefined}
      />
      {props.error ? <small id={`${props.name}-error`}>{props.error}</small> : null}
    </label>
  );
}

function AuditResults(props: AuditPageProps) {
  return (
    <section id="audit-results" aria-label="Audit events">
      <p class="audit-actions">
        <a href={props.exportHref} download>
          Export CSV
        </a>
      </p>
      {props.rows.length === 0 ? (
        <p class="empty-state">No events match these filters.</p>
      ) : (
        <div class="overflow-auto">
          <table class="audit-events">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td class="nowrap">{formatUtc(row.createdAt)}</td>
                  <td>
                    <code>{row.action}</code>
                  </td>
                  <td>
                    {row.actor ?? "—"}
                    {row.ipAddress ? <small class="audit-address">{row.ipAddress}</small> : null}
                  </td>
                  <td>{row.target ?? "—"}</td>
                  <td class="details">
                    {row.details ? <code>{row.details}</code> : null}
                    {row.requestId ? <small class="audit-request">request {row.requestId}</small> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pager" aria-label="Pages">
        {props.newestHref ? <a href={props.newestHref}>Newest events</a> : null}
        {props.olderHref ? <a href={props.olderHref}>Older events</a> : null}
      </nav>
    </section>
  );
}
