/** @jsxImportSource hono/jsx */

import type { ModelJson } from "../../../server/ai/schemas.ts";
import { formatBytes } from "../../../server/tools/bytes.ts";
import { formatCount } from "../../../server/tools/counts.ts";
import { CsrfField } from "../../components/csrf-field.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

export type ModelListProps = {
  models: ModelJson[];
  csrf: string | null;
  error: string | null;
  /** Delete buttons only for the box's instance admin. */
  canChange: boolean;
};

/** The installed models with their facts; polls itself while a download runs. */
export function ModelList(props: ModelListProps) {
  const downloading = props.models.some((model) => model.status === "downloading");
  return (
    <div
      id="ai-model-list"
      hx-get={downloading ? "/settings/ai/models" : undefined}
      hx-trigger={downloading ? "every 1s" : undefined}
      hx-swap={downloading ? "outerHTML" : undefined}
    >
      <FormMessage error={props.error} />
      {props.models.length === 0 ? (
        <p class="empty-state">No models yet. Pull one from the Hugging Face Hub or import a GGUF file below.</p>
      ) : (
        <div class="overflow-auto">
          <table class="ai-models">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Facts</th>
                <th scope="col">Size</th>
                <th scope="col">Serves</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.models.map((model) => (
                <ModelRow model={model} csrf={props.csrf} canChange={props.canChange} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const dash = "—";

function ModelRow(props: { model: ModelJson; csrf: string | null; canChange: boolean }) {
  const { model } = props;
  return (
    <tr id={`model-${model.id}`}>
      <th scope="row">
        {model.name}
        <br />
        <small class="muted ai-source" title={model.sha256 ? `sha256 ${model.sha256}` : undefined}>
          {model.source}
        </small>
        <ModelState model={model} />
      </th>
      <td>
        <ModelFacts model={model} />
      </td>
      <td class="nowrap">{model.sizeBytes ? formatBytes(model.sizeBytes) : dash}</td>
      <td>{model.roles.length > 0 ? model.roles.map((role) => <mark class="ai-role">{role}</mark>) : dash}</td>
      <td>{props.canChange ? <DeleteForm model={model} csrf={props.csrf} /> : null}</td>
    </tr>
  );
}

function DeleteForm(props: { model: ModelJson; csrf: string | null }) {
  const { model } = props;
  return (
    <form
      method="post"
      action={`/settings/ai/models/${model.id}/delete`}
      hx-post={`/settings/ai/models/${model.id}/delete`}
      hx-target="#ai-model-list"
      hx-swap="outerHTML"
      hx-confirm={`Delete ${model.name} and its file?`}
      class="revoke-form"
    >
      <CsrfField token={props.csrf} />
      <button type="submit" class="compact danger-outline">
        {model.status === "downloading" ? "Cancel" : "Delete"}
      </button>
    </form>
  );
}

/** What the GGUF header says, in two short lines. */
function ModelFacts(props: { model: ModelJson }) {
  const { model } = props;
  const what = [
    model.architecture,
    model.parameters ? `${formatCount(model.parameters)} parameters` : null,
    model.quantization,
  ].filter(Boolean);
  const window = [
    model.contextLength ? `${model.contextLength}-token context` : null,
    model.embeddingLength ? `${model.embeddingLength}-d embeddings` : null,
  ].filter(Boolean);
  if (what.length === 0 && window.length === 0) return <span class="muted">{dash}</span>;
  return (
    <>
      {what.join(" · ")}
      <br />
      <small class="muted">{window.join(" · ")}</small>
    </>
  );
}

function ModelState(props: { model: ModelJson }) {
  const { model } = props;
  if (model.status === "downloading") {
    const total = model.sizeBytes;
    return (
      <div class="compact-progress">
        <progress value={model.downloadedBytes} max={total ?? undefined} aria-label={`Downloading ${model.name}`} />
        <small>
          {formatBytes(model.downloadedBytes)}
          {total ? ` of ${formatBytes(total)}` : ""} downloaded
        </small>
      </div>
    );
  }
  if (model.status === "failed") {
    return (
      <p class="form-message form-message-error ai-model-failed">
        Failed{model.statusReason ? `: ${model.statusReason}` : ""}
      </p>
    );
  }
  return null;
}
