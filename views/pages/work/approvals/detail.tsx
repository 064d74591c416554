/** @jsxImportSource hono/jsx */
import { ApprovalComments } from "../../../partials/work/approvals/comments.tsx";
import { CancelForm, DecisionForm } from "../../../partials/work/approvals/decision-form.tsx";
import { StatusBadge } from "../../../partials/work/approvals/status-badge.tsx";
import { Timeline } from "../../../partials/work/approvals/timeline.tsx";
import { UrgencyBadge } from "../../../partials/work/approvals/urgency-badge.tsx";
import { FormMessage } from "../../auth/form-parts.tsx";
import type { ApprovalPageProps } from "./types.ts";

/** One request: what it is about, its timeline, and (for a current approver) the decision form. */
export function ApprovalPage(props: ApprovalPageProps) {
  const { request } = props;
  return (
    <section class="approval">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/approvals">Approvals</a>
      </nav>
      <header class="approval-heading">
        <h1>{request.title}</h1>
        <StatusBadge status={request.status} />
        <UrgencyBadge urgency={request.urgency} />
      </header>
      {props.flash ? (
        <FormMessage
          error={props.flash.kind === "error" ? props.flash.text : null}
          notice={props.flash.kind === "notice" ? props.flash.text : null}
        />
      ) : null}
      <div class="approval-layout">
        <article class="approval-subject" aria-labelledby="subject-heading">
          <h2 id="subject-heading">Subject</h2>
          <dl>
            <dt>Kind</dt>
            <dd>
              {request.subjectHref ? <a href={request.subjectHref}>{request.subjectLabel}</a> : request.subjectLabel}
            </dd>
            {request.amountText ? (
              <>
                <dt>Amount</dt>
                <dd class="approval-amount">{request.amountText}</dd>
              </>
            ) : null}
            <dt>Requested by</dt>
            <dd>{request.requesterName}</dd>
            <dt>Progress</dt>
            <dd>{progressText(props)}</dd>
          </dl>
          {request.details ? <p class="approval-details">{request.details}</p> : null}
          {request.subjectHref ? (
            <p>
              <a href={request.subjectHref}>Open the {request.subjectLabel.toLowerCase()}</a>
            </p>
          ) : null}
        </article>
        <div class="approval-main">
          <h2>Timeline</h2>
          <Timeline request={request} steps={props.steps} />
          {props.canDecide ? (
            <section aria-labelledby="decide-heading" class="approval-decide">
              <h2 id="decide-heading">Your decision</h2>
              <DecisionForm
                requestId={request.id}
                stepIndex={request.currentStep}
                csrf={props.csrf}
                comment={props.comment}
              />
            </section>
          ) : null}
          {props.canCancel ? <CancelForm requestId={request.id} csrf={props.csrf} /> : null}
          <ApprovalComments {...props.comments} />
        </div>
      </div>
    </section>
  );
}

function progressText(props: ApprovalPageProps): string {
  const { request } = props;
  if (request.status === "approved") return `Approved after ${request.stepCount} of ${request.stepCount} steps`;
  if (request.status === "rejected") return `Rejected at step ${request.currentStep + 1} of ${request.stepCount}`;
  if (request.status === "cancelled") return "Cancelled by the requester";
  return `Step ${request.currentStep + 1} of ${request.stepCount}`;
}
