import { z } from "zod";
import { approvalStatuses, approvalSubjectTypes, approvalUrgencies } from "../../../models/approvals.ts";
import { pageQuery } from "../../http/cursor.ts";

/** One schema per request, shared by the API, the console forms and the OpenAPI document. */

const stepName = z.string().trim().min(1, "Name the step.").max(80, "Use at most 80 characters.");

export const approvalStepInput = z
  .object({
    name: stepName,
    approverType: z.enum(["user", "role"], { error: "Choose user or role." }),
    approverUserId: z.string().trim().max(64).nullish(),
    approverRole: z.string().trim().max(64).nullish(),
    rule: z.enum(["any", "all"], { error: "Choose any or all." }).default("any"),
  })
  .superRefine((step, issue) => {
    if (step.approverType === "user" && !step.approverUserId) {
      issue.addIssue({ code: "custom", path: ["approverUserId"], message: "Choose the person who approves." });
    }
    if (step.approverType === "role" && !step.approverRole) {
      issue.addIssue({ code: "custom", path: ["approverRole"], message: "Choose the role that approves." });
    }
  });
export type ApprovalStepInput = z.infer<typeof approvalStepInput>;

const steps = z.array(approvalStepInput).min(1, "Add at least one step.").max(10, "A pipeline has at most 10 steps.");

const pipelineName = z.string().trim().min(1, "Name the pipeline.").max(120, "Use at most 120 characters.");
const description = z.string().trim().max(2000, "Use at most 2000 characters.");

export const createPipelineInput = z.object({
  name: pipelineName,
  subjectType: z.enum(approvalSubjectTypes).nullable().default(null),
  description: description.default(""),
  steps,
});
export type CreatePipelineInput = z.infer<typeof createPipelineInput>;

export const updatePipelineInput = z
  .object({
    name: pipelineName.optional(),
    subjectType: z.enum(approvalSubjectTypes).nullable().optional(),
    description: description.optional(),
    /** Replaces every step: send the whole ordered list. */
    steps: steps.optional(),
  })
  .strict()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "Send at least one of name, subjectType, description or steps.",
  });
export type UpdatePipelineInput = z.infer<typeof updatePipelineInput>;

export const pipelineListQuery = pageQuery.extend({
  subjectType: z.enum(approvalSubjectTypes).optional(),
  /** `true` lists archived pipelines too. */
  includeArchived: z.enum(["true", "false"]).default("false"),
});
export type PipelineListQuery = z.infer<typeof pipelineListQuery>;

const currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.");

/** Purchases and free-form requests; invoices and timesheets start theirs from their own pages. */
export const createApprovalInput = z
  .object({
    subjectType: z.enum(["purchase", "other"], { error: "Choose purchase or other." }),
    title: z.string().trim().min(1, "Say what needs approving.").max(200, "Use at most 200 characters."),
    /** Minor units (cents) with `currency`. */
    amount: z.number().int("Use whole minor units (cents).").min(0).max(1e13).nullish(),
    currency: currency.nullish(),
    details: z.string().trim().max(5000, "Use at most 5000 characters.").default(""),
    pipelineId: z.string().trim().max(64).nullish(),
  })
  .superRefine((input, issue) => {
    const hasAmount = input.amount !== null && input.amount !== undefined;
    if (input.subjectType === "purchase" && !hasAmount) {
      issue.addIssue({ code: "custom", path: ["amount"], message: "Enter what the purchase costs." });
    }
    if (hasAmount && !input.currency) {
      issue.addIssue({ code: "custom", path: ["currency"], message: "Choose the amount's currency." });
    }
  });
export type CreateApprovalInput = z.infer<typeof createApprovalInput>;

export const decisionInput = z.object({
  decision: z.enum(["approve", "reject"], { error: "Choose approve or reject." }),
  comment: z.string().trim().max(2000, "Use at most 2000 characters.").default(""),
  /** The step the decider saw; when the request has moved on since, the decision is refused (409). */
  stepIndex: z.number().int().min(0).optional(),
});
export type DecisionInput = z.infer<typeof decisionInput>;

export const approvalListQuery = pageQuery.extend({
  status: z.enum(approvalStatuses).optional(),
  subjectType: z.enum(approvalSubjectTypes).optional(),
  /** `me`: pending requests where I am a current approver who has not approved yet. */
  waitingOn: z.literal("me", { error: "Only waitingOn=me is supported." }).optional(),
  /** `me`: requests I started. */
  requestedBy: z.literal("me", { error: "Only requestedBy=me is supported." }).optional(),
});
export type ApprovalListQuery = z.infer<typeof approvalListQuery>;

// Answer shapes, for the OpenAPI document.

const stepJson = z.object({
  name: z.string(),
  approverType: z.enum(["user", "role"]),
  approverUserId: z.string().nullable(),
  approverRole: z.string().nullable(),
  rule: z.enum(["any", "all"]),
});

export const pipelineJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  subjectType: z.enum(approvalSubjectTypes).nullable(),
  description: z.string(),
  steps: z.array(stepJson),
  archivedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const decisionJsonSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  stepIndex: z.number().int(),
  deciderId: z.string(),
  decision: z.enum(["approve", "reject"]),
  comment: z.string(),
  at: z.string(),
});

export const approvalJsonSchema = z.object({
  id: z.string(),
  pipelineId: z.string(),
  subjectType: z.enum(approvalSubjectTypes),
  subjectId: z.string().nullable(),
  title: z.string(),
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  details: z.string(),
  status: z.enum(approvalStatuses),
  steps: z.array(stepJson),
  currentStep: z.number().int(),
  currentApproverIds: z.array(z.string()),
  urgency: z
    .enum(approvalUrgencies)
    .nullable()
    .describe(
      "How urgent the approval nudger found the waiting step (low, medium, high, critical); null when unranked.",
    ),
  requestedBy: z.string().nullable(),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decisions: z.array(decisionJsonSchema).optional(),
});

export const pageOfSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const approvalCommentInput = z.object({
  body: z.string().trim().min(1, "Write a comment.").max(10_000, "Use at most 10,000 characters."),
});
export type ApprovalCommentInput = z.infer<typeof approvalCommentInput>;

export const approvalCommentJsonSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  authorId: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
});
