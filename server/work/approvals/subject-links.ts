import type { ApprovalRequest, ApprovalSubjectType } from "../../../models/approvals.ts";
import type { ServiceContext } from "../../auth/sessions/context.ts";

/** The console page of a subject, or null when the caller may not open it. */
export type SubjectLink = (ctx: ServiceContext, subjectId: string) => string | null;

const links = new Map<ApprovalSubjectType, SubjectLink>();

/** Each subject's module says where its page is (server/work/approval-subjects.ts). */
export function registerSubjectLink(subjectType: ApprovalSubjectType, link: SubjectLink): void {
  links.set(subjectType, link);
}

/** The subject's own console page, where there is one the caller may open. */
export function subjectHref(ctx: ServiceContext, request: ApprovalRequest): string | null {
  if (!request.subjectId) return null;
  return links.get(request.subjectType)?.(ctx, request.subjectId) ?? null;
}
