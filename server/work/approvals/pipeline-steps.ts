import { and, asc, eq, inArray } from "drizzle-orm";
import { type ApprovalPipeline, type ApprovalStepSpec, approvalSteps } from "../../../models/approvals.ts";
import { customRoles } from "../../../models/identity.ts";
import { builtInRoles, isBuiltInRole, roleLabels, rolePermissions } from "../../auth/roles/permissions.ts";
import type { Queryable } from "../../db.ts";
import { AppError, type ErrorDetail } from "../../http/errors.ts";
import { findMember } from "../../members/directory.ts";
import { newId } from "../../tools/ids.ts";
import type { ApprovalStepInput } from "./schemas.ts";

/** Whether a role (built-in or custom of this organisation) exists, and whether it may decide approvals. */
function roleStatus(db: Queryable, orgId: string, role: string): "missing" | "cannot_decide" | "ok" {
  if (isBuiltInRole(role)) return rolePermissions[role].has("approvals.decide") ? "ok" : "cannot_decide";
  const custom = db
    .select({ permissions: customRoles.permissions })
    .from(customRoles)
    .where(and(eq(customRoles.id, role), eq(customRoles.orgId, orgId)))
    .get();
  if (!custom) return "missing";
  return custom.permissions.includes("approvals.decide") ? "ok" : "cannot_decide";
}

/**
 * Checks each step's approver against the organisation and answers the steps as they are
 * stored: a user step's approver must be an active member whose role may decide approvals; a
 * role step's role must exist and may decide approvals. Every problem is a 422 on its path.
 */
export function normaliseSteps(db: Queryable, orgId: string, steps: ApprovalStepInput[]): ApprovalStepSpec[] {
  const details: ErrorDetail[] = [];
  const normalised = steps.map((step, index): ApprovalStepSpec => {
    if (step.approverType === "user") {
      const path = `steps.${index}.approverUserId`;
      const member = step.approverUserId ? findMember(db, orgId, step.approverUserId) : null;
      if (!member) details.push({ path, message: "No such person in this organisation." });
      else if (roleStatus(db, orgId, member.role) !== "ok") {
        details.push({ path, message: `${member.name}'s role cannot decide approvals.` });
      }
      // "all" means nothing for one person: store the one rule there is.
      return {
        name: step.name,
        approverType: "user",
        approverUserId: step.approverUserId ?? null,
        approverRole: null,
        rule: "any",
      };
    }
    const path = `steps.${index}.approverRole`;
    const status = roleStatus(db, orgId, step.approverRole ?? "");
    if (status === "missing") details.push({ path, message: "No such role in this organisation." });
    if (status === "cannot_decide") details.push({ path, message: "This role cannot decide approvals." });
    return {
      name: step.name,
      approverType: "role",
      approverUserId: null,
      approverRole: step.approverRole ?? null,
      rule: step.rule,
    };
  });
  if (details.length > 0) throw new AppError("validation_failed", "The request is not valid.", details);
  return normalised;
}

/** Writes a pipeline's ordered steps, replacing any it had. */
export function replaceSteps(
  db: Queryable,
  pipeline: Pick<ApprovalPipeline, "id" | "orgId">,
  steps: ApprovalStepSpec[],
) {
  db.delete(approvalSteps).where(eq(approvalSteps.pipelineId, pipeline.id)).run();
  if (steps.length === 0) return;
  db.insert(approvalSteps)
    .values(
      steps.map((step, position) => ({
        id: newId("aps"),
        orgId: pipeline.orgId,
        pipelineId: pipeline.id,
        position,
        name: step.name,
        approverType: step.approverType,
        approverUserId: step.approverUserId,
        approverRole: step.approverRole,
        rule: step.rule,
      })),
    )
    .run();
}

/** The ordered steps of each pipeline by id. */
export function stepsOfPipelines(db: Queryable, pipelineIds: string[]): Map<string, ApprovalStepSpec[]> {
  const result = new Map<string, ApprovalStepSpec[]>(pipelineIds.map((id) => [id, []]));
  if (pipelineIds.length === 0) return result;
  const rows = db
    .select()
    .from(approvalSteps)
    .where(inArray(approvalSteps.pipelineId, pipelineIds))
    .orderBy(asc(approvalSteps.pipelineId), asc(approvalSteps.position))
    .all();
  for (const row of rows) {
    result.get(row.pipelineId)?.push({
      name: row.name,
      approverType: row.approverType,
      approverUserId: row.approverUserId,
      approverRole: row.approverRole,
      rule: row.rule,
    });
  }
  return result;
}

/** Readable names of roles: built-in labels and the organisation's custom role names. */
export function roleNames(db: Queryable, orgId: string): Map<string, string> {
  const names = new Map<string, string>(builtInRoles.map((role) => [role, roleLabels[role]]));
  for (const role of db.select().from(customRoles).where(eq(customRoles.orgId, orgId)).all()) {
    names.set(role.id, role.name);
  }
  return names;
}
