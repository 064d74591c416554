/** @jsxImportSource hono/jsx */
import type { PulseAgentRun, PulseList } from "../../../pages/work/pulse/types.ts";
import { PulseCard } from "./card.tsx";
import { timeAgo } from "./format.ts";

const outcomeWords: Record<PulseAgentRun["outcome"], string> = {
  finished: "finished",
  failed: "failed",
  stopped: "was stopped after failing too often",
};

/** "Agent activity": the organisation's latest agent runs, how each ended and what it did (live). */
export function AgentActivitySection(props: { list: PulseList<PulseAgentRun>; now: Date }) {
  return (
    <PulseCard
      id="pulse-agents"
      title="Agent activity"
      count={null}
      link={{ href: "/agents", label: "Agents" }}
      hasItems={props.list.items.length > 0}
      empty="No agent has run lately. Agents that are switched on report here each time they run."
    >
      <ul class="pulse-list">
        {props.list.items.map((run) => (
          <li
            class={run.outcome === "finished" ? "pulse-agent-run" : "pulse-agent-run pulse-agent-trouble"}
            data-agent={run.agentId}
          >
            <a href={`/agents/${run.agentId}`}>{run.agentName}</a> {outcomeWords[run.outcome]}
            {run.text ? `: ${run.text}` : ""}
            <small class="pulse-meta">
              <time datetime={run.at.toISOString()}>{timeAgo(run.at, props.now)}</time>
            </small>
          </li>
        ))}
      </ul>
    </PulseCard>
  );
}
