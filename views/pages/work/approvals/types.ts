/** What the approvals pages show; built by server/work/approvals/console-props.ts from the services. */
import type { ApprovalCommentsProps } from "../../../partials/work/approvals/comments.tsx";

export type Flash = { kind: "notice" | "error"; text: string };

export type ApprovalStatusName = "pending" | "approved" | "rejected" | "cancelled";

export type ApprovalUrgencyName = "low" | "medium" | "high" | "critical";

export type ApprovalRow = {
  id: string;
  title: string;
  subjectLabel: string;
  amountText: string | null;
  requesterName: string;
  status: ApprovalStatusName;
  /** "Step 1 of 2: Manager" while pending. */
  stepText: string;
  /** The approval nudger's level for the step it waits on; null when not ranked. */
  urgency: ApprovalUrgencyName | null;
  createdAt: Date;
};

export type ApprovalTab = "waiting" | "mine" | "all";

export type ApprovalsListProps = {
  tab: ApprovalTab;
  rows: ApprovalRow[];
  nextHref: string | null;
  canRequest: boolean;
  canManagePipelines: boolean;
};

export type StepState = "approved" | "current" | "waiting" | "rejected" | "not_reached";

export type TimelineStep = {
  index: number;
  name: string;
  /** "Ada Admin", "any one Manager", "every Manager". */
  approverText: string;
  state: StepState;
  /** Who the step waits on now (current step only). */
  waitingOn: string[];
  decisions: { deciderName: string; decision: "approve" | "reject"; comment: string; at: Date }[];
};

export type ApprovalPageProps = {
  /** The comment thread under the timeline. */
  comments: ApprovalCommentsProps;
  request: {
    id: string;
    title: string;
    status: ApprovalStatusName;
    subjectLabel: string;
    /** The subject's own page (an invoice, the timesheets), or null. */
    subjectHref: string | null;
    amountText: string | null;
    details: string;
    requesterName: string;
    pipelineName: string;
    createdAt: Date;
    completedAt: Date | null;
    currentStep: number;
    stepCount: number;
    /** The approval nudger's level for the step it waits on; null when not ranked or no longer waiting. */
    urgency: ApprovalUrgencyName | null;
  };
  steps: TimelineStep[];
  /** Whether the person looking is an approver of the current step now (and may decide). */
  canDecide: boolean;
  canCancel: boolean;
  csrf: string | null;
  flash: Flash | null;
  comment: string;
};

export type NewApprovalValues = {
  subjectType: string;
  title: string;
  amount: string;
  currency: string;
  details: string;
  pipelineId: string;
};

export type NewApprovalProps = {
  values: NewApprovalValues;
  errors: Partial<Record<keyof NewApprovalValues | "form", string>>;
  pipelines: { id: string; name: string; subjectLabel: string }[];
  csrf: string | null;
};

export type PipelineRow = {
  id: string;
  name: string;
  subjectLabel: string;
  stepsText: string;
  archived: boolean;
};

export type PipelinesListProps = { rows: PipelineRow[]; flash: Flash | null };

export type StepRowValues = { name: string; approver: string; rule: "any" | "all" };

export type PipelineFormValues = {
  name: string;
  subjectType: string;
  description: string;
  steps: StepRowValues[];
};

export type ApproverChoices = {
  roles: { value: string; label: string }[];
  people: { value: string; label: string }[];
};

export type PipelineEditorProps = {
  /** null while creating. */
  pipelineId: string | null;
  archived: boolean;
  etag: string;
  values: PipelineFormValues;
  /** Field errors: `name`, `subjectType`, `description`, `steps`, `form`, `steps.0.name`, `steps.0.approver`. */
  errors: Record<string, string>;
  choices: ApproverChoices;
  csrf: string | null;
};
