/** @jsxImportSource hono/jsx */

import type { AiRuntimeStatus, ServedModelStatus } from "../../../server/ai/runtime.ts";
import { formatBytes } from "../../../server/tools/bytes.ts";

const stateLabels: Record<ServedModelStatus["state"], string> = {
  not_loaded: "Not loaded yet",
  loading: "Loading…",
  ready: "Loaded",
  failed: "Failed to load",
};

/** The runtime at a glance; refreshes itself every few seconds. */
export function AiStatusPanel(props: { status: AiRuntimeStatus }) {
  const { status } = props;
  const speed = status.recentTokensPerSecond;
  return (
    <section
      id="ai-status"
      aria-labelledby="ai-status-heading"
      hx-get="/settings/ai/status"
      hx-trigger="every 5s"
      hx-swap="outerHTML"
    >
      <h2 id="ai-status-heading">Status</h2>
      <div class="ai-status-grid">
        <ServedCard title="Chat" model={status.chat} />
        <ServedCard title="Embeddings" model={status.embedding} />
        <article class="ai-card">
          <h3>Runtime</h3>
          <dl class="ai-facts">
            <dt>Compute</dt>
            <dd>{status.gpu === null ? "Not started" : status.gpu === "none" ? "CPU" : `GPU (${status.gpu})`}</dd>
            <dt>Memory free</dt>
            <dd>
              {formatBytes(status.memory.freeBytes)} of {formatBytes(status.memory.totalBytes)}
            </dd>
            <dt>Opsbox uses</dt>
            <dd>{formatBytes(status.memory.processRssBytes)}</dd>
            <dt>Recent speed</dt>
            <dd>
              {speed === null
                ? "No answers yet"
                : `${speed.toFixed(1)} tokens/s over ${status.recentGenerations} answer${status.recentGenerations === 1 ? "" : "s"}`}
            </dd>
            <dt>Queue</dt>
            <dd>
              {status.queue.running} running of {status.queue.concurrency}, {status.queue.waiting} waiting of{" "}
              {status.queue.queueSize}
            </dd>
          </dl>
        </article>
      </div>
    </section>
  );
}

function ServedCard(props: { title: string; model: ServedModelStatus | null }) {
  const { model } = props;
  return (
    <article class="ai-card">
      <h3>{props.title}</h3>
      {model ? (
        <>
          <p>
            <strong>{model.name}</strong>
            <br />
            <small class="muted">
              {model.from === "environment" ? "Set by the operator's environment" : "Chosen in these settings"}
            </small>
          </p>
          <p class={`ai-state ai-state-${model.state}`}>{stateLabels[model.state]}</p>
          {model.error ? (
            <p class="form-message form-message-error" role="alert">
              {model.error}
            </p>
          ) : null}
          {model.contextSize ? (
            <p>
              <small>
                {model.contextSize}-token context, {model.threads} thread{model.threads === 1 ? "" : "s"}
              </small>
            </p>
          ) : null}
        </>
      ) : (
        <p class="muted">No model chosen.</p>
      )}
    </article>
  );
}
