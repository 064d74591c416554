import { Hono } from "hono";
import { apiDoc } from "../../http/api-doc.ts";
import { pageQuery } from "../../http/cursor.ts";
import type { AppEnv } from "../../http/env.ts";
import { jsonWithEtag } from "../../http/etag.ts";
import { requirePermission, serviceContext } from "../../http/guards.ts";
import { validate } from "../../http/validate.ts";
import { addApprovalComment, approvalCommentJson, listApprovalComments } from "./comments.ts";
import { cancelApproval, decideApproval, listDecisions } from "./decisions.ts";
import { approvalEtag, approvalJson, decisionJson } from "./json.ts";
import {
  approvalCommentInput,
  approvalCommentJsonSchema,
  approvalJsonSchema,
  approvalListQuery,
  createApprovalInput,
  decisionInput,
  decisionJsonSchema,
  pageOfSchema,
} from "./schemas.ts";
import {
  approvalDetailOrNotFound,
  createApprovalRequest,
  currentApproverIds,
  findApprovalDetail,
  listApprovals,
} from "./service.ts";

const tags = ["Approvals"];
const one = { description: "The request with its steps, current approvers and decisions", schema: approvalJsonSchema };

const visibility =
  "Requests about invoices (and suppliers' bills) are visible only to holders of invoices.manage (bills.manage), their requester and the people their steps name (others get 404); every other request to everyone who reads the workspace.";

const commentRules =
  "Who may comment: the requester, anyone a step of the request names (the person, or a holder of the role), and holders of projects.manage (who manage approval pipelines); they need tasks.write too. Others who can see the request read its comments; writing is 403 for them. Markdown; `@name` mentions notify the people mentioned who may see the request.";

const decidingRules = [
  "Who decides: a step names a person, or a role where `rule: any` lets one holder decide for the step and `rule: all` needs every person holding the role at decision time (`currentApproverIds` lists who has not approved yet).",
  "The caller must hold approvals.decide AND be an approver of the current step, else 403.",
  "The requester may never decide their own request: someone else must approve (403); they may cancel it instead.",
  "`reject` ends the request at once; the last approval completes it; the subject (an invoice, a timesheet) follows in the same transaction.",
  "Deciding a step twice, deciding a finished request, or sending a `stepIndex` the request has moved past is 409.",
].join(" ");

/** /approvals (requests), their decisions, and /approval-pipelines. */
export const approvalsApi = new Hono<AppEnv>()
  .get(
    "/",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List approval requests",
      description: `Newest first. Filters: \`status\`, \`subjectType\`, \`waitingOn=me\` (pending, where you are a current approver who has not approved yet), \`requestedBy=me\`. ${visibility}`,
      tags,
      responses: { 200: { description: "A page of requests", schema: pageOfSchema(approvalJsonSchema) } },
    }),
    validate("query", approvalListQuery),
    (c) => {
      const page = listApprovals(serviceContext(c), c.req.valid("query"));
      return c.json({
        data: page.data.map((row) => approvalJson(row.request, row.approverIds)),
        nextCursor: page.nextCursor,
      });
    },
  )
  .post(
    "/",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Ask for approval of a purchase or anything else",
      description:
        "`subjectType` `purchase` (needs `amount` and `currency`) or `other` (free-form: `title`, optional `amount` in minor units with `currency`, `details`). Invoices and timesheets start their approvals from their own endpoints. The pipeline is `pipelineId`, else the organisation's pipeline for the subject type, else one for any subject; with none, 409. The requester cannot approve it: someone else must.",
      tags,
      responses: { 201: { description: "The new request", schema: approvalJsonSchema } },
    }),
    validate("json", createApprovalInput),
    (c) => {
      const detail = createApprovalRequest(serviceContext(c), c.req.valid("json"));
      const json = approvalJson(detail.request, detail.approverIds, detail.decisions);
      c.header("ETag", approvalEtag(json));
      c.header("Location", `/api/v1/approvals/${json.id}`);
      return c.json(json, 201);
    },
  )
  .get(
    "/:id",
    requirePermission("workspace.read"),
    apiDoc({ summary: "Read an approval request", description: visibility, tags, responses: { 200: one } }),
    (c) => {
      const detail = approvalDetailOrNotFound(serviceContext(c), c.req.param("id"));
      const json = approvalJson(detail.request, detail.approverIds, detail.decisions);
      return jsonWithEtag(c, approvalEtag(json), json);
    },
  )
  .get(
    "/:id/decisions",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List a request's decisions",
      description: "In the order they were made, each with its step, decider and comment.",
      tags,
      responses: { 200: { description: "A page of decisions", schema: pageOfSchema(decisionJsonSchema) } },
    }),
    validate("query", pageQuery),
    (c) => {
      const detail = approvalDetailOrNotFound(serviceContext(c), c.req.param("id"));
      const page = listDecisions(serviceContext(c), detail.request.id, c.req.valid("query"));
      return c.json({ data: page.data.map(decisionJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/:id/decisions",
    requirePermission("approvals.decide"),
    apiDoc({
      summary: "Approve or reject the current step",
      description: `${decidingRules} Answers the decision with the request as it is now under \`request\`.`,
      tags,
      responses: {
        201: {
          description: "The decision, and the request after it",
          schema: decisionJsonSchema.extend({ request: approvalJsonSchema }),
        },
      },
    }),
    validate("json", decisionInput),
    (c) => {
      const ctx = serviceContext(c);
      const { request, decision } = decideApproval(ctx, c.req.param("id"), c.req.valid("json"));
      c.header("Location", `/api/v1/approvals/${request.id}`);
      const requestJson = approvalJson(request, currentApproverIds(ctx.db, ctx.orgId, request));
      return c.json({ ...decisionJson(decision), request: requestJson }, 201);
    },
  )
  .get(
    "/:id/comments",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "List a request's comments",
      description: `Oldest first, keyset-paged. ${visibility}`,
      tags,
      responses: { 200: { description: "A page of comments", schema: pageOfSchema(approvalCommentJsonSchema) } },
    }),
    validate("query", pageQuery),
    (c) => {
      const page = listApprovalComments(serviceContext(c), c.req.param("id"), c.req.valid("query"));
      return c.json({ data: page.data.map(approvalCommentJson), nextCursor: page.nextCursor });
    },
  )
  .post(
    "/:id/comments",
    requirePermission("tasks.write"),
    apiDoc({
      summary: "Comment on a request",
      description: `${commentRules} The requester and the people the request waits on are notified (\`approval_comment\`), and an \`approval.commented\` event joins the request's history.`,
      tags,
      responses: { 201: { description: "The new comment", schema: approvalCommentJsonSchema } },
    }),
    validate("json", approvalCommentInput),
    (c) => {
      const comment = addApprovalComment(serviceContext(c), c.req.param("id"), c.req.valid("json"));
      c.header("Location", `/api/v1/approvals/${comment.requestId}/comments`);
      return c.json(approvalCommentJson(comment), 201);
    },
  )
  .post(
    "/:id/cancel",
    requirePermission("workspace.read"),
    apiDoc({
      summary: "Cancel a pending request",
      description:
        "Only its requester may (403 for others; 409 once it has ended). The subject follows: an invoice goes back to draft.",
      tags,
      responses: { 200: one },
    }),
    (c) => {
      const ctx = serviceContext(c);
      const request = cancelApproval(ctx, c.req.param("id"));
      const detail = findApprovalDetail(ctx, request.id);
      const json = approvalJson(request, [], detail?.decisions ?? []);
      c.header("ETag", approvalEtag(json));
      return c.json(json);
    },
  );
