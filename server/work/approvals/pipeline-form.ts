import type { PipelineFormValues, StepRowValues } from "../../../views/pages/work/approvals/types.ts";
import type { ErrorDetail } from "../../http/errors.ts";
import type { PostedForm } from "../../http/validate-form.ts";
import type { PipelineWithSteps } from "./pipelines.ts";

/** The pipeline editor's form: rows of steps named `steps.<i>.name|approver|rule`, and its row buttons. */

export type EditorOp = { kind: "save" } | { kind: "add" } | { kind: "remove" | "up" | "down"; index: number };

const MAX_STEPS = 10;

export function readPipelineForm(form: PostedForm): { values: PipelineFormValues; op: EditorOp } {
  const count = Math.min(Math.max(Number.parseInt(form.text("stepCount"), 10) || 0, 0), MAX_STEPS);
  const steps: StepRowValues[] = [];
  for (let index = 0; index < count; index += 1) {
    steps.push({
      name: form.text(`steps.${index}.name`),
      approver: form.text(`steps.${index}.approver`),
      rule: form.text(`steps.${index}.rule`) === "all" ? "all" : "any",
    });
  }
  return {
    values: {
      name: form.text("name"),
      subjectType: form.text("subjectType"),
      description: form.text("description"),
      steps,
    },
    op: opOf(form.text("op") || "save"),
  };
}

function opOf(text: string): EditorOp {
  if (text === "add") return { kind: "add" };
  const match = /^(remove|up|down)-(\d{1,2})$/.exec(text);
  if (match?.[1] && match[2]) return { kind: match[1] as "remove" | "up" | "down", index: Number(match[2]) };
  return { kind: "save" };
}

export function emptyStep(): StepRowValues {
  return { name: "", approver: "", rule: "any" };
}

/** The form after a row button: a row added, removed, or moved one place. */
export function applyOp(values: PipelineFormValues, op: EditorOp): PipelineFormValues {
  const steps = [...values.steps];
  if (op.kind === "add" && steps.length < MAX_STEPS) steps.push(emptyStep());
  if (op.kind === "remove" && steps.length > 1) steps.splice(op.index, 1);
  if (op.kind === "up" || op.kind === "down") {
    const other = op.kind === "up" ? op.index - 1 : op.index + 1;
    const a = steps[op.index];
    const b = steps[other];
    if (a && b) {
      steps[op.index] = b;
      steps[other] = a;
    }
  }
  return { ...values, steps };
}

/** What the form says, in the shape of the API's create/update body (validated by the same schema). */
export function pipelineInputOf(values: PipelineFormValues) {
  return {
    name: values.name,
    subjectType: values.subjectType === "" ? null : values.subjectType,
    description: values.description,
    steps: values.steps.map((step) => {
      const [kind, ...rest] = step.approver.split(":");
      const value = rest.join(":");
      return kind === "user"
        ? { name: step.name, approverType: "user", approverUserId: value, rule: "any" }
        : { name: step.name, approverType: "role", approverRole: kind === "role" ? value : "", rule: step.rule };
    }),
  };
}

export function valuesOf(pipeline: PipelineWithSteps): PipelineFormValues {
  return {
    name: pipeline.name,
    subjectType: pipeline.subjectType ?? "",
    description: pipeline.description,
    steps: pipeline.steps.map((step) => ({
      name: step.name,
      approver: step.approverType === "user" ? `user:${step.approverUserId ?? ""}` : `role:${step.approverRole ?? ""}`,
      rule: step.rule,
    })),
  };
}

/** Field errors keyed as the editor shows them: a step's approver fields are its one "approver" select. */
export function editorErrors(details: ErrorDetail[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const detail of details) {
    const key = detail.path.replace(/^(steps\.\d+)\.(approverUserId|approverRole|approverType|rule)$/, "$1.approver");
    errors[key || "form"] ??= detail.message;
  }
  return errors;
}
