/** @jsxImportSource hono/jsx */

import { StatusBadge } from "../../../partials/work/approvals/status-badge.tsx";
import { UrgencyBadge } from "../../../partials/work/approvals/urgency-badge.tsx";
import type { ApprovalRow, ApprovalsListProps, ApprovalTab } from "./types.ts";

const tabs: { tab: ApprovalTab; label: string }[] = [
  { tab: "waiting", label: "Waiting on me" },
  { tab: "mine", label: "Requested by me" },
  { tab: "all", label: "All" },
];

function hrefOf(tab: ApprovalTab): string {
  return tab === "waiting" ? "/approvals" : `/approvals?tab=${tab}`;
}

/** Approvals: what waits on me, what I asked for, and everything I may see. */
export function ApprovalsListPage(props: ApprovalsListProps) {
  return (
    <section class="approvals">
      <header class="approvals-header">
        <h1>Approvals</h1>
        <p class="approvals-actions">
          {props.canManagePipelines ? (
            <a href="/approvals/pipelines" class="link-button secondary">
              Pipelines
            </a>
          ) : null}
          {props.canRequest ? (
            <a href="/approvals/new" class="link-button">
              New request
            </a>
          ) : null}
        </p>
      </header>
      <nav class="approval-tabs" aria-label="Approval lists">
        <ul>
          {tabs.map((item) => (
            <li>
              <a href={hrefOf(item.tab)} aria-current={item.tab === props.tab ? "page" : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.rows.length === 0 ? <EmptyState {...props} /> : <ApprovalTable rows={props.rows} />}
      {props.nextHref ? (
        <nav class="pager" aria-label="Pages">
          <a href={props.nextHref}>Older requests</a>
        </nav>
      ) : null}
    </section>
  );
}

function EmptyState(props: ApprovalsListProps) {
  if (props.tab === "waiting") {
    return (
      <p class="empty-state">
        Nothing is waiting on you. When a request reaches a step you approve, it appears here.{" "}
        <a href="/approvals?tab=all">See all requests</a>.
      </p>
    );
  }
  if (props.tab === "mine") {
    return (
      <p class="empty-state">
        You have not asked for any approvals yet.{" "}
        {props.canRequest ? <a href="/approvals/new">Ask for a purchase or anything else</a> : null}
      </p>
    );
  }
  return (
    <p class="empty-state">
      No approval requests yet. Invoices and timesheets ask for approval when they are submitted
      {props.canRequest ? (
        <>
          ; you can also <a href="/approvals/new">start a request</a>
        </>
      ) : null}
      .
    </p>
  );
}

function ApprovalTable(props: { rows: ApprovalRow[] }) {
  return (
    <div class="overflow-auto">
      <table class="approval-list">
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Subject</th>
            <th scope="col">Amount</th>
            <th scope="col">Requested by</th>
            <th scope="col">Status</th>
            <th scope="col">Asked (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr id={`approval-${row.id}`}>
              <td>
                <a href={`/approvals/${row.id}`}>{row.title}</a>
              </td>
              <td>{row.subjectLabel}</td>
              <td class="nowrap">{row.amountText ?? "—"}</td>
              <td>{row.requesterName}</td>
              <td>
                <StatusBadge status={row.status} />
                <UrgencyBadge urgency={row.urgency} />
                {row.status === "pending" ? <small class="approval-step">{row.stepText}</small> : null}
              </td>
              <td class="nowrap">
                <time datetime={row.createdAt.toISOString()}>{formatUtc(row.createdAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function formatUtc(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}
