/** @jsxImportSource hono/jsx */

import { todayUtc } from "../../../../server/tools/days.ts";
import { AgentActivitySection } from "../../../partials/work/pulse/agents-section.tsx";
import { ActivityFeed } from "../../../partials/work/pulse/feed.tsx";
import { HoursSection } from "../../../partials/work/pulse/hours-section.tsx";
import { ApprovalsSection, InvoicesSection } from "../../../partials/work/pulse/money-sections.tsx";
import { MyTasksSection, OverdueSection, StaleSection } from "../../../partials/work/pulse/task-sections.tsx";
import type { PulsePageProps, PulseSections } from "./types.ts";

/** The dashboard at /: what needs me now, and what is happening, live. */
export function PulsePage(props: PulsePageProps) {
  const firstName = props.personName.trim().split(/\s+/)[0] ?? props.personName;
  return (
    <div class="pulse">
      <header class="pulse-header">
        <p class="pulse-eyebrow">Pulse</p>
        <h1>{props.organisationName ?? "Pulse"}</h1>
        <p>Hello {firstName}: what needs you, and what is happening now.</p>
      </header>
      <div class="pulse-layout">
        {props.sections ? (
          <PulseGrid sections={props.sections} now={props.now} />
        ) : (
          <p class="pulse-empty">
            Your role does not include reading the workspace. Ask an admin for access to projects and tasks.
          </p>
        )}
        <ActivityFeed items={props.feed} now={props.now} streamUrl={props.streamUrl} />
      </div>
    </div>
  );
}

function PulseGrid(props: { sections: PulseSections; now: Date }) {
  const { sections, now } = props;
  return (
    <div class="pulse-grid">
      <MyTasksSection list={sections.myTasks} now={now} />
      <OverdueSection list={sections.overdue} now={now} />
      {sections.approvals ? <ApprovalsSection list={sections.approvals} now={now} /> : null}
      <StaleSection stale={sections.stale} now={now} />
      {sections.invoices ? <InvoicesSection list={sections.invoices} now={now} /> : null}
      <HoursSection hours={sections.hours} today={todayUtc(now)} />
      <AgentActivitySection list={sections.agents} now={now} />
    </div>
  );
}
