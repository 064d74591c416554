import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { ApprovalRequest, ApprovalStepSpec, ApprovalSubjectType } from "../../../models/approvals.ts";
import { customRoles } from "../../../models/identity.ts";
import type {
  ApprovalPageProps,
  ApprovalRow,
  ApprovalsListProps,
  ApprovalTab,
  ApproverChoices,
  Flash,
  NewApprovalProps,
  PipelineEditorProps,
  PipelineFormValues,
  PipelinesListProps,
  TimelineStep,
} from "../../../views/pages/work/approvals/types.ts";
import { builtInRoles, isBuiltInRole, roleLabels, rolePermissions } from "../../auth/roles/permissions.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";
import type { Queryable } from "../../db.ts";
import { formCsrf } from "../../http/console-forms.ts";
import type { AppEnv } from "../../http/env.ts";
import { serviceContext } from "../../http/guards.ts";
import { listMembers, namesOf, roleOf } from "../../members/directory.ts";
import { formatMoney } from "../../tools/money.ts";
import { roleNames } from "./pipeline-steps.ts";
import { findPipelineById, listPipelines, type PipelineWithSteps, pipelineEtag, pipelinesTaking } from "./pipelines.ts";
import { holdsStep } from "./routing.ts";
import type { ApprovalDetail, listApprovalRequests } from "./service.ts";
import { subjectHref } from "./subject-links.ts";
import { shownUrgency } from "./urgency.ts";

const subjectLabels: Record<ApprovalSubjectType, string> = {
  invoice: "Invoice",
  timesheet: "Timesheet",
  document: "Document",
  bill: "Supplier bill",
  purchase: "Purchase",
  other: "Free-form request",
};

export function subjectLabel(type: ApprovalSubjectType | null): string {
  return type ? subjectLabels[type] : "Any kind";
}

function amountText(request: ApprovalRequest): string | null {
  return request.amount !== null && request.currency ? formatMoney(request.amount, request.currency) : null;
}

/** "Ada Admin", "any one Manager", "every Manager". */
export function approverText(step: ApprovalStepSpec, people: Map<string, string>, roles: Map<string, string>): string {
  if (step.approverType === "user") return people.get(step.approverUserId ?? "") ?? "a former member";
  const role = roles.get(step.approverRole ?? "") ?? step.approverRole ?? "a removed role";
  return step.rule === "all" ? `every ${role}` : `any one ${role}`;
}

export function stepText(request: ApprovalRequest): string {
  const step = request.steps[request.currentStep];
  return `Step ${request.currentStep + 1} of ${request.steps.length}${step ? `: ${step.name}` : ""}`;
}

/** The list's rows, with the requesters' names read in one query. */
export function approvalRows(ctx: ServiceContext, requests: ApprovalRequest[]): ApprovalRow[] {
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    requests.map((request) => request.requestedBy),
  );
  return requests.map((request) => ({
    id: request.id,
    title: request.title,
    subjectLabel: subjectLabel(request.subjectType),
    amountText: amountText(request),
    requesterName: names.get(request.requestedBy ?? "") ?? "The system",
    status: request.status,
    stepText: stepText(request),
    urgency: shownUrgency(request),
    createdAt: request.createdAt,
  }));
}

function stepState(request: ApprovalRequest, index: number, rejected: boolean): TimelineStep["state"] {
  if (index < request.currentStep) return "approved";
  if (index > request.currentStep) return request.status === "pending" ? "waiting" : "not_reached";
  if (request.status === "pending") return "current";
  return rejected ? "rejected" : "not_reached";
}

/** Everything the request page shows, for the person looking. */
export function approvalPageProps(
  ctx: ServiceContext,
  detail: ApprovalDetail,
  state: Pick<ApprovalPageProps, "csrf" | "flash" | "comment" | "comments">,
): ApprovalPageProps {
  const { request, decisions, approverIds } = detail;
  const people = namesOf(ctx.db, ctx.orgId, [
    request.requestedBy,
    ...approverIds,
    ...decisions.map((decision) => decision.deciderId),
    ...request.steps.map((step) => step.approverUserId),
  ]);
  const roles = roleNames(ctx.db, ctx.orgId);
  const steps: TimelineStep[] = request.steps.map((step, index) => {
    const mine = decisions.filter((decision) => decision.stepIndex === index);
    return {
      index,
      name: step.name,
      approverText: approverText(step, people, roles),
      state: stepState(
        request,
        index,
        mine.some((decision) => decision.decision === "reject"),
      ),
      waitingOn: index === request.currentStep ? approverIds.map((id) => people.get(id) ?? id) : [],
      decisions: mine.map((decision) => ({
        deciderName: people.get(decision.deciderId) ?? "A former member",
        decision: decision.decision,
        comment: decision.comment,
        at: decision.createdAt,
      })),
    };
  });
  const currentStep = request.steps[request.currentStep];
  const canDecide =
    request.status === "pending" &&
    ctx.permissions.has("approvals.decide") &&
    currentStep !== undefined &&
    request.requestedBy !== ctx.userId &&
    holdsStep(currentStep, ctx.userId, roleOf(ctx.db, ctx.orgId, ctx.userId)) &&
    approverIds.includes(ctx.userId);
  return {
    request: {
      id: request.id,
      title: request.title,
      status: request.status,
      subjectLabel: subjectLabel(request.subjectType),
      subjectHref: subjectHref(ctx, request),
      amountText: amountText(request),
      details: request.details,
      requesterName: people.get(request.requestedBy ?? "") ?? "The system",
      pipelineName: findPipelineById(ctx.db, ctx.orgId, request.pipelineId)?.name ?? "—",
      createdAt: request.createdAt,
      completedAt: request.completedAt,
      currentStep: request.currentStep,
      stepCount: request.steps.length,
      urgency: shownUrgency(request),
    },
    steps,
    canDecide,
    canCancel: request.status === "pending" && request.requestedBy === ctx.userId,
    ...state,
  };
}

/** The approvers a step may name: roles that may decide approvals, and people whose role may. */
export function approverChoices(db: Queryable, orgId: string): ApproverChoices {
  const deciding = new Set<string>(builtInRoles.filter((role) => rolePermissions[role].has("approvals.decide")));
  const custom = db.select().from(customRoles).where(eq(customRoles.orgId, orgId)).all();
  for (const role of custom) if (role.permissions.includes("approvals.decide")) deciding.add(role.id);
  const names = roleNames(db, orgId);
  return {
    roles: [...deciding].map((role) => ({
      value: `role:${role}`,
      label: isBuiltInRole(role) ? roleLabels[role] : (names.get(role) ?? role),
    })),
    people: listMembers(db, orgId)
      .filter((member) => deciding.has(member.role))
      .map((member) => ({ value: `user:${member.id}`, label: `${member.name} (${member.email})` })),
  };
}

/** The pipelines page: every pipeline, archived ones too, its steps in words. */
export function pipelinesListProps(c: Context<AppEnv>, flash: Flash | null): PipelinesListProps {
  const ctx = serviceContext(c);
  const pipelines = listPipelines(ctx, { limit: 200, includeArchived: "true" }).data;
  const people = namesOf(
    ctx.db,
    ctx.orgId,
    pipelines.flatMap((pipeline) => pipeline.steps.map((step) => step.approverUserId)),
  );
  const roles = roleNames(ctx.db, ctx.orgId);
  const rows = pipelines.map((pipeline) => ({
    id: pipeline.id,
    name: pipeline.name,
    subjectLabel: subjectLabel(pipeline.subjectType),
    stepsText: pipeline.steps.map((step) => `${step.name} (${approverText(step, people, roles)})`).join(" → "),
    archived: pipeline.archivedAt !== null,
  }));
  return { rows, flash };
}

/** The pipeline editor, new (pipeline null) or editing, with the people and roles steps may name. */
export function pipelineEditorProps(
  c: Context<AppEnv>,
  pipeline: PipelineWithSteps | null,
  values: PipelineFormValues,
  errors: Record<string, string>,
  etag?: string,
): PipelineEditorProps {
  const ctx = serviceContext(c);
  return {
    pipelineId: pipeline?.id ?? null,
    archived: pipeline?.archivedAt != null,
    etag: etag ?? (pipeline ? pipelineEtag(pipeline) : ""),
    values,
    errors,
    choices: approverChoices(ctx.db, ctx.orgId),
    csrf: formCsrf(c),
  };
}

/** The approvals list: a page of requests on the tab chosen. */
export function approvalsListProps(
  ctx: ServiceContext,
  tab: ApprovalTab,
  page: ReturnType<typeof listApprovalRequests>,
): ApprovalsListProps {
  const query = new URLSearchParams(tab === "waiting" ? {} : { tab });
  if (page.nextCursor) query.set("cursor", page.nextCursor);
  return {
    tab,
    rows: approvalRows(ctx, page.data),
    nextHref: page.nextCursor ? `/approvals?${query}` : null,
    canRequest: ctx.permissions.has("tasks.write"),
    canManagePipelines: ctx.permissions.has("projects.manage"),
  };
}

/** The new-request form, with the pipelines that take purchases and other requests. */
export function newApprovalProps(
  c: Context<AppEnv>,
  state: Pick<NewApprovalProps, "values" | "errors">,
): NewApprovalProps {
  const ctx = serviceContext(c);
  const pipelines = pipelinesTaking(ctx, ["purchase", "other"]).map((pipeline) => ({
    id: pipeline.id,
    name: pipeline.name,
    subjectLabel: subjectLabel(pipeline.subjectType),
  }));
  return { ...state, pipelines, csrf: formCsrf(c) };
}
