/** @jsxImportSource hono/jsx */
import { CsrfField } from "../../components/csrf-field.tsx";
import { type JobRunRow, RunHistory } from "../../partials/jobs/run-history.tsx";
import { FormMessage } from "../auth/form-parts.tsx";

/** One agent as the console lists it: plain words, prepared by server/agents/console-props.ts. */
export type AgentCard = {
  id: string;
  name: string;
  description: string;
  state: "on" | "off" | "quarantined";
  quarantineReason: string | null;
  schedule: string;
  lastRun: string | null;
  nextRun: string | null;
  successRate: string | null;
  permissions: string[];
};

export type AgentsPageProps = { csrf: string | null; canManage: boolean; notice: string | null; agents: AgentCard[] };

const stateWords = { on: "On", off: "Off", quarantined: "Quarantined (stopped after repeated failures)" };

export function AgentState(props: { agent: AgentCard }) {
  return (
    <span class={`agent-state agent-state-${props.agent.state}`} id={`agent-state-${props.agent.id}`}>
      {stateWords[props.agent.state]}
    </span>
  );
}

/** The on/off switch (agents.manage). */
export function AgentSwitch(props: { agent: AgentCard; csrf: string | null; back: string }) {
  const next = props.agent.state === "off" ? "on" : "off";
  const action = `/agents/${props.agent.id}/switch`;
  return (
    <form method="post" action={action} hx-post={action} hx-target="#main">
      <CsrfField token={props.csrf} />
      <input type="hidden" name="enabled" value={next} />
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class={next === "on" ? undefined : "secondary"}>
        {next === "on" ? "Switch on" : "Switch off"}
      </button>
    </form>
  );
}

function Facts(props: { agent: AgentCard }) {
  const { agent } = props;
  return (
    <dl class="agent-facts">
      <dt>State</dt>
      <dd>
        <AgentState agent={agent} />
        {agent.quarantineReason ? (
          <>
            {" "}
            Last error: {agent.quarantineReason} <a href="/jobs">Release it on Background jobs</a>
          </>
        ) : null}
      </dd>
      <dt>Schedule</dt>
      <dd>{agent.schedule}</dd>
      <dt>Last run</dt>
      <dd>{agent.lastRun ?? "never"}</dd>
      <dt>Next run</dt>
      <dd>{agent.nextRun ?? "not scheduled (off or quarantined)"}</dd>
      <dt>Success rate</dt>
      <dd>{agent.successRate ?? "no finished runs yet"}</dd>
    </dl>
  );
}

/** /agents: every agent of the organisation with its state and the switch. */
export function AgentsPage(props: AgentsPageProps) {
  return (
    <>
      <header>
        <h1>Agents</h1>
        <p>
          Agents run on a schedule inside the box and act as themselves: what they change is in the audit log and the
          record's history under the agent's name, and they can do only what their permissions below allow.
        </p>
      </header>
      <FormMessage notice={props.notice} error={null} />
      {props.agents.map((agent) => (
        <article id={`agent-${agent.id}`}>
          <header>
            <h2>
              <a href={`/agents/${agent.id}`}>{agent.name}</a>
            </h2>
            <p>{agent.description}</p>
          </header>
          <Facts agent={agent} />
          <footer>
            {props.canManage ? <AgentSwitch agent={agent} csrf={props.csrf} back="/agents" /> : null}
            <a href={`/agents/${agent.id}`}>Settings, preview and history</a>
          </footer>
        </article>
      ))}
    </>
  );
}

export type SettingsFieldView = {
  name: string;
  label: string;
  kind: "number" | "text" | "email";
  hint: string | null;
  value: string;
  error: string | null;
};

export type AgentPageProps = {
  csrf: string | null;
  canManage: boolean;
  notice: string | null;
  error: string | null;
  agent: AgentCard;
  fields: SettingsFieldView[];
  /** The lines of a dry run, when one was asked for. */
  preview: string[] | null;
  filters: { status: string; trigger: string };
  runs: JobRunRow[];
};

function SettingsForm(props: AgentPageProps) {
  const action = `/agents/${props.agent.id}/settings`;
  return (
    <form method="post" action={action} hx-post={action} hx-target="#main" id="agent-settings">
      <CsrfField token={props.csrf} />
      {props.fields.map((field) => (
        <label>
          {field.label}
          <input
            type={field.kind}
            name={field.name}
            value={field.value}
            aria-invalid={field.error ? "true" : undefined}
            aria-describedby={field.error ? `${field.name}-error` : undefined}
            disabled={!props.canManage}
          />
          {field.hint ? <small>{field.hint}</small> : null}
          {field.error ? (
            <small id={`${field.name}-error`} class="field-error">
              {field.error}
            </small>
          ) : null}
        </label>
      ))}
      {props.canManage ? <button type="submit">Save settings</button> : null}
    </form>
  );
}

function RunNow(props: AgentPageProps) {
  const base = `/agents/${props.agent.id}`;
  return (
    <section aria-labelledby="agent-run-heading" id="agent-run">
      <h2 id="agent-run-heading">Run now</h2>
      <p>A preview reads only: it shows what a run would do now, and changes nothing.</p>
      <form method="post" action={`${base}/preview`} hx-post={`${base}/preview`} hx-target="#main">
        <CsrfField token={props.csrf} />
        <button type="submit" class="secondary">
          Preview a run
        </button>
      </form>
      {props.preview ? (
        <div id="agent-preview">
          {props.preview.length === 0 ? (
            <p>A run now would do nothing.</p>
          ) : (
            <ul>
              {props.preview.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
          )}
          <form method="post" action={`${base}/run`} hx-post={`${base}/run`} hx-target="#main">
            <CsrfField token={props.csrf} />
            <button type="submit">Run it now for real</button>
          </form>
        </div>
      ) : null}
    </section>
  );
}

const statuses = ["", "succeeded", "failed", "timed_out", "cancelled", "running", "queued", "retrying"];
const triggers = ["", "schedule", "manual", "event"];

/** /agents/{id}: one agent's state, settings, a dry-run preview before a real run, and its run history. */
export function AgentPage(props: AgentPageProps) {
  const { agent } = props;
  return (
    <>
      <header>
        <p>
          <a href="/agents">Agents</a>
        </p>
        <h1>{agent.name}</h1>
        <p>{agent.description}</p>
        <p>
          Acts with: <code>{agent.permissions.join(", ")}</code>
        </p>
      </header>
      <FormMessage notice={props.notice} error={props.error} />
      <Facts agent={agent} />
      {props.canManage ? <AgentSwitch agent={agent} csrf={props.csrf} back={`/agents/${agent.id}`} /> : null}
      <section aria-labelledby="agent-settings-heading">
        <h2 id="agent-settings-heading">Settings</h2>
        <SettingsForm {...props} />
      </section>
      {props.canManage ? <RunNow {...props} /> : null}
      <section aria-labelledby="agent-history-heading">
        <h2 id="agent-history-heading">Run history</h2>
        <form method="get" action={`/agents/${agent.id}`} class="filters">
          <label>
            Status
            <select name="status">
              {statuses.map((value) => (
                <option value={value} selected={props.filters.status === value}>
                  {value ? value.replace("_", " ") : "any"}
                </option>
              ))}
            </select>
          </label>
          <label>
            Trigger
            <select name="trigger">
              {triggers.map((value) => (
                <option value={value} selected={props.filters.trigger === value}>
                  {value || "any"}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            Filter
          </button>
        </form>
        {props.runs.length === 0 ? (
          <p class="muted">No runs to show.</p>
        ) : (
          <RunHistory id="agent-runs" runs={props.runs} />
        )}
      </section>
    </>
  );
}
