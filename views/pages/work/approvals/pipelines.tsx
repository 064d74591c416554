/** @jsxImportSource hono/jsx */
import { FormMessage } from "../../auth/form-parts.tsx";
import type { PipelinesListProps } from "./types.ts";

/** Approvals → Pipelines: who approves what, step by step. */
export function PipelinesPage(props: PipelinesListProps) {
  const active = props.rows.filter((row) => !row.archived);
  const archived = props.rows.filter((row) => row.archived);
  return (
    <section class="approval-pipelines">
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/approvals">Approvals</a>
      </nav>
      <header class="approvals-header">
        <h1>Approval pipelines</h1>
        <p class="approvals-actions">
          <a href="/approvals/pipelines/new" class="link-button">
            New pipeline
          </a>
        </p>
      </header>
      {props.flash ? (
        <FormMessage
          error={props.flash.kind === "error" ? props.flash.text : null}
          notice={props.flash.kind === "notice" ? props.flash.text : null}
        />
      ) : null}
      <p>
        A request goes through the pipeline for its kind (or one for any kind): step by step, each approved by a person
        or by holders of a role.
      </p>
      {active.length === 0 ? (
        <p class="empty-state">
          No pipelines yet, so nothing can be sent for approval. <a href="/approvals/pipelines/new">Create the first</a>
          .
        </p>
      ) : (
        <PipelineTable rows={active} />
      )}
      {archived.length > 0 ? (
        <details class="archived-pipelines">
          <summary>Archived pipelines ({archived.length})</summary>
          <PipelineTable rows={archived} />
        </details>
      ) : null}
    </section>
  );
}

function PipelineTable(props: { rows: PipelinesListProps["rows"] }) {
  return (
    <div class="overflow-auto">
      <table class="pipeline-list">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">For</th>
            <th scope="col">Steps</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr id={`pipeline-${row.id}`}>
              <td>
                <a href={`/approvals/pipelines/${row.id}`}>{row.name}</a>
              </td>
              <td>{row.subjectLabel}</td>
              <td>{row.stepsText}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
