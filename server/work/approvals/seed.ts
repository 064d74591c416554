import { type ApprovalStepSpec, approvalPipelines, approvalSubjectTypes } from "../../../models/approvals.ts";
import { isBuiltInRole, roleLabels } from "../../auth/roles/permissions.ts";
import type { Queryable } from "../../db.ts";
import type { ApprovalPipelineTemplate } from "../../setup/templates.ts";
import { newId } from "../../tools/ids.ts";
import { replaceSteps } from "./pipeline-steps.ts";

function subjectOf(subject: string) {
  return approvalSubjectTypes.find((type) => type === subject) ?? null;
}

/**
 * Creates an industry template's approval pipelines in a new organisation, inside the caller's
 * transaction (the organisation's own): one role step per template step, any holder decides.
 */
export function seedApprovalPipelines(
  db: Queryable,
  orgId: string,
  templates: ApprovalPipelineTemplate[],
  now = new Date(),
): string[] {
  return templates.map((template) => {
    const id = newId("apl", now.getTime());
    db.insert(approvalPipelines)
      .values({
        id,
        orgId,
        name: template.name,
        subjectType: subjectOf(template.subject),
        description: "Created from the industry template at setup.",
        createdAt: now,
        updatedAt: now,
      })
      .run();
    const steps = template.steps.map(
      (step): ApprovalStepSpec => ({
        name: isBuiltInRole(step.approverRole) ? roleLabels[step.approverRole] : step.approverRole,
        approverType: "role",
        approverUserId: null,
        approverRole: step.approverRole,
        rule: "any",
      }),
    );
    replaceSteps(db, { id, orgId }, steps);
    return id;
  });
}
