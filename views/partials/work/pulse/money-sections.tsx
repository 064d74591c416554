/** @jsxImportSource hono/jsx */

import { formatMoney } from "../../../../server/tools/money.ts";
import type { PulseApproval, PulseInvoice, PulseList } from "../../../pages/work/pulse/types.ts";
import { PulseCard } from "./card.tsx";
import { shortDate, timeAgo } from "./format.ts";

export function ApprovalsSection(props: { list: PulseList<PulseApproval>; now: Date }) {
  return (
    <PulseCard
      id="pulse-approvals"
      title="Approvals waiting on me"
      count={props.list.items.length}
      more={props.list.more}
      tone="attention"
      link={{ href: "/approvals", label: "All approvals" }}
      hasItems={props.list.items.length > 0}
      empty="Nothing is waiting on your decision."
    >
      <ul class="pulse-list">
        {props.list.items.map((approval) => (
          <li>
            <a href={approval.href}>{approval.title}</a>
            {approval.amount !== null && approval.currency ? (
              <span class="pulse-amount">{formatMoney(approval.amount, approval.currency)}</span>
            ) : null}
            <small class="pulse-meta">
              <span>{approval.stepName}</span>
              {approval.requesterName ? <span>from {approval.requesterName}</span> : null}
              <span>{timeAgo(approval.createdAt, props.now)}</span>
            </small>
          </li>
        ))}
      </ul>
    </PulseCard>
  );
}

export function InvoicesSection(props: { list: PulseList<PulseInvoice>; now: Date }) {
  return (
    <PulseCard
      id="pulse-invoices"
      title="Overdue invoices"
      count={props.list.items.length}
      more={props.list.more}
      tone="attention"
      link={{ href: "/invoices?status=overdue", label: "Overdue invoices" }}
      hasItems={props.list.items.length > 0}
      empty="No invoice is overdue."
    >
      <ul class="pulse-list">
        {props.list.items.map((invoice) => (
          <li>
            <a href={`/invoices/${invoice.id}`}>{invoice.number}</a>
            <span class="pulse-amount">{formatMoney(invoice.total, invoice.currency)}</span>
            <small class="pulse-meta">
              <span>{invoice.customerName}</span>
              <span class="pulse-late">due {shortDate(new Date(`${invoice.dueDate}T00:00:00Z`), props.now)}</span>
            </small>
          </li>
        ))}
      </ul>
    </PulseCard>
  );
}
