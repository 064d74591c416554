import { and, eq } from "drizzle-orm";
import type { ApprovalRequest } from "../../models/approvals.ts";
import { type DocumentApprovalStatus, documents } from "../../models/knowledge.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import type { DbTransaction, Queryable } from "../db.ts";
import { publishEvent } from "../events/publish.ts";
import { AppError } from "../http/errors.ts";
import { actorName } from "../members/directory.ts";
import { startApproval } from "../work/approvals/start-approval.ts";
import { mayChangeDocument } from "./changes.ts";
import type { SubmitDocumentInput } from "./schemas.ts";
import { type DocumentRecord, documentOrNotFound, findDocumentById } from "./service.ts";

/**
 * Documents as approval subjects (a policy, a contract, a method statement): submitting one
 * starts an approval request (subject "document"); its outcome becomes the document's
 * `approvalStatus`. Only whoever may change the document (its uploader, or a manager) submits
 * it; 409 while a request for it is still running.
 */
export function submitDocument(ctx: ServiceContext, id: string, input: SubmitDocumentInput): DocumentRecord {
  const record = documentOrNotFound(ctx, id);
  if (!mayChangeDocument(ctx, record)) {
    throw new AppError("forbidden", "Only the person who uploaded this document, or a manager, may submit it.");
  }
  if (record.approvalStatus === "pending") {
    throw new AppError("conflict", "This document is already waiting for approval.");
  }
  const now = new Date();
  ctx.db.transaction((tx) => {
    const request = startApproval(tx, ctx, {
      subjectType: "document",
      subjectId: record.id,
      title: `Document “${record.title}”`,
      details: input.details,
      pipelineId: input.pipelineId,
    });
    moveApproval(tx, ctx, record, "pending", request.id, now);
  });
  const submitted = findDocumentById(ctx, id);
  if (!submitted) throw new AppError("internal", "The document could not be read back.");
  return submitted;
}

/**
 * Called by the approvals service, inside its transaction, when a document's request ends:
 * approved or rejected stays on the document; a cancelled request leaves it unsubmitted. A
 * document deleted meanwhile, or submitted again under a newer request, is left alone.
 */
export function settleDocumentApproval(
  tx: DbTransaction,
  ctx: ServiceContext,
  request: ApprovalRequest,
  outcome: "approved" | "rejected" | "cancelled",
): void {
  if (request.subjectType !== "document" || !request.subjectId) return;
  const record = findDocumentById({ db: tx, orgId: request.orgId }, request.subjectId);
  if (!record || record.approvalRequestId !== request.id || record.approvalStatus !== "pending") return;
  moveApproval(tx, ctx, record, outcome === "cancelled" ? null : outcome, request.id, new Date());
}

const summaries: Record<DocumentApprovalStatus | "none", string> = {
  pending: "submitted the document “{title}” for approval",
  approved: "approved the document “{title}”",
  rejected: "rejected the document “{title}”",
  none: "withdrew the document “{title}” from approval",
};

function moveApproval(
  db: Queryable,
  ctx: ServiceContext,
  record: DocumentRecord,
  to: DocumentApprovalStatus | null,
  approvalRequestId: string,
  now: Date,
): void {
  db.update(documents)
    .set({ approvalStatus: to, approvalRequestId, updatedAt: now })
    .where(and(eq(documents.orgId, record.orgId), eq(documents.id, record.id)))
    .run();
  publishEvent(
    db,
    { orgId: record.orgId, userId: ctx.userId },
    {
      type: "document.approval_changed",
      subjectType: "document",
      subjectId: record.id,
      summary: `${actorName(ctx.db, ctx)} ${summaries[to ?? "none"].replace("{title}", record.title)}`,
      data: { title: record.title, from: record.approvalStatus, to, approvalRequestId },
      audience: [record.uploadedBy],
    },
    now,
  );
}
