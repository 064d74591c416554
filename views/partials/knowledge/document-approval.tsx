/** @jsxImportSource hono/jsx */
import type { DocumentApprovalStatus } from "../../../models/knowledge.ts";
import { documentHref } from "../../../server/tools/document-links.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { StatusBadge } from "../work/approvals/status-badge.tsx";

/** What the submit form keeps when it is refused. */
export type ApprovalFormValues = { pipelineId: string; details: string };

export type DocumentApprovalProps = {
  documentId: string;
  status: DocumentApprovalStatus | null;
  requestId: string | null;
  /** Pipelines that take documents; empty = the organisation has none (the form says so). */
  pipelines: { id: string; name: string }[];
  /** null = the person may not submit this document. */
  form: { values: ApprovalFormValues; error: string | null; csrf: string | null } | null;
};

const sentences: Record<DocumentApprovalStatus, string> = {
  pending: "Waiting for approval.",
  approved: "Approved.",
  rejected: "Rejected. Change what the approvers asked for and submit it again.",
};

/** The document page's approval block: where it stands, and (for its uploader or a manager) a form to submit it. */
export function DocumentApproval(props: DocumentApprovalProps) {
  const { status, form } = props;
  const action = `${documentHref(props.documentId)}/submit`;
  return (
    <section id="document-approval" class="document-approval" aria-labelledby="document-approval-heading">
      <h2 id="document-approval-heading">Approval</h2>
      <p>
        {status ? (
          <>
            <StatusBadge status={status} /> {sentences[status]}{" "}
            {props.requestId ? <a href={`/approvals/${props.requestId}`}>See the request</a> : null}
          </>
        ) : (
          "Not submitted for approval."
        )}
      </p>
      {form && status !== "pending" ? (
        props.pipelines.length === 0 ? (
          <p class="muted">
            No approval pipeline takes documents yet. <a href="/approvals/pipelines">Set one up</a> (for documents, or
            for any kind of request) to submit documents for approval.
          </p>
        ) : (
          <form method="post" action={action} hx-post={action} hx-target="#main" class="document-approval-form">
            <CsrfField token={form.csrf} />
            {form.error ? (
              <p class="form-message form-message-error" role="alert">
                {form.error}
              </p>
            ) : null}
            <label>
              Pipeline
              <select name="pipelineId">
                <option value="">Automatic: the pipeline for documents</option>
                {props.pipelines.map((pipeline) => (
                  <option value={pipeline.id} selected={pipeline.id === form.values.pipelineId}>
                    {pipeline.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Note for the approvers <small class="muted">(optional)</small>
              <textarea name="details" rows={2} maxlength={5000}>
                {form.values.details}
              </textarea>
            </label>
            <button type="submit">{status === null ? "Submit for approval" : "Submit again"}</button>
          </form>
        )
      ) : null}
    </section>
  );
}
