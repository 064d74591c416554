/** @jsxImportSource hono/jsx */
import type { ApprovalPageProps, StepState, TimelineStep } from "../../../pages/work/approvals/types.ts";

const stateLabels: Record<StepState, string> = {
  approved: "Approved",
  current: "Waiting for a decision",
  waiting: "Next",
  rejected: "Rejected",
  not_reached: "Not reached",
};

function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** The request's history: asked, each step with its decisions and comments, and how it ended. */
export function Timeline(props: Pick<ApprovalPageProps, "request" | "steps">) {
  const { request } = props;
  return (
    <ol class="approval-timeline" aria-label="Timeline">
      <li class="timeline-item timeline-asked">
        <p>
          <strong>{request.requesterName}</strong> asked for approval{" "}
          <time datetime={request.createdAt.toISOString()}>{formatUtc(request.createdAt)}</time>
        </p>
        <small>Pipeline: {request.pipelineName}</small>
      </li>
      {props.steps.map((step) => (
        <StepItem step={step} count={props.steps.length} />
      ))}
      {request.status === "approved" && request.completedAt ? (
        <li class="timeline-item timeline-approved">
          <p>
            <strong>Approved</strong>{" "}
            <time datetime={request.completedAt.toISOString()}>{formatUtc(request.completedAt)}</time>
          </p>
        </li>
      ) : null}
      {request.status === "cancelled" && request.completedAt ? (
        <li class="timeline-item timeline-cancelled">
          <p>
            <strong>{request.requesterName}</strong> cancelled the request{" "}
            <time datetime={request.completedAt.toISOString()}>{formatUtc(request.completedAt)}</time>
          </p>
        </li>
      ) : null}
    </ol>
  );
}

function StepItem(props: { step: TimelineStep; count: number }) {
  const { step } = props;
  return (
    <li
      class={`timeline-item timeline-step step-${step.state}`}
      aria-current={step.state === "current" ? "step" : undefined}
      data-state={step.state}
    >
      <p class="timeline-step-heading">
        <span class="timeline-step-number">
          Step {step.index + 1} of {props.count}
        </span>{" "}
        <strong>{step.name}</strong> <span class="timeline-step-state">{stateLabels[step.state]}</span>
      </p>
      <small>Decided by {step.approverText}</small>
      {step.state === "current" ? (
        <p class="timeline-waiting">
          {step.waitingOn.length > 0
            ? `Waiting on ${step.waitingOn.join(", ")}.`
            : "No one else can decide this step now: ask an admin to give someone the role, or cancel the request."}
        </p>
      ) : null}
      {step.decisions.length > 0 ? (
        <ul class="timeline-decisions">
          {step.decisions.map((decision) => (
            <li class={`decision decision-${decision.decision}`}>
              <p>
                <strong>{decision.deciderName}</strong> {decision.decision === "approve" ? "approved" : "rejected"}{" "}
                <time datetime={decision.at.toISOString()}>{formatUtc(decision.at)}</time>
              </p>
              {decision.comment ? <blockquote>{decision.comment}</blockquote> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
