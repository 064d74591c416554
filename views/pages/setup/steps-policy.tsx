/** @jsxImportSource hono/jsx */
import { complianceLevels, compliancePresets } from "../../../models/security-policy.ts";
import type { BuiltInAgent } from "../../../server/setup/templates.ts";
import { GroupError } from "./fields.tsx";
import type { StepProps } from "./steps-account.tsx";

export function ComplianceStep(props: StepProps & { chosen: string; suggested: string }) {
  return (
    <>
      <p>
        A compliance preset sets the security policy: session lengths, who must use two-factor authentication, password
        length, lockout and how long the audit log is kept.
      </p>
      <fieldset aria-invalid={props.errors.complianceLevel ? "true" : undefined}>
        <legend>Compliance preset</legend>
        {complianceLevels.map((level) => {
          const preset = compliancePresets[level];
          return (
            <label class="choice">
              <input type="radio" name="complianceLevel" value={level} checked={level === props.chosen} />
              <span>
                <strong>{preset.label}</strong>
                {level === props.suggested ? <mark class="suggested">suggested for your industry</mark> : null}
                <br />
                <small>
                  {preset.summary} Passwords of at least {preset.policy.passwordMinLength} characters; accounts lock
                  after {preset.policy.lockoutThreshold} failed sign-ins.
                </small>
              </span>
            </label>
          );
        })}
        <GroupError name="complianceLevel" error={props.errors.complianceLevel} />
      </fieldset>
    </>
  );
}

export const agentDescriptions: Record<BuiltInAgent, { name: string; description: string }> = {
  "stuck-tasks": {
    name: "Stuck-task agent",
    description:
      "Every hour, flags open tasks with no activity for 48 hours and tells their assignee and the project's owner.",
  },
  "approval-nudger": {
    name: "Approval nudger",
    description:
      "Every hour, ranks waiting approvals low to critical and e-mails their approvers (admins too at critical).",
  },
  "daily-digest": {
    name: "Daily digest",
    description:
      "Each morning (07:00 in your time zone), e-mails each person what is due, overdue, waiting on them, stuck or changed on their projects; nothing when there is nothing to say.",
  },
  "timesheet-drafter": {
    name: "Timesheet drafter",
    description:
      "On Friday afternoon (the organisation's time), e-mails each person a link to their week's suggested time entries.",
  },
  "invoice-follow-up": {
    name: "Invoice follow-up",
    description:
      "Every hour, e-mails customers a reminder with the invoice PDF 7, 14 and 30 days after an unpaid invoice's due date.",
  },
  "document-parser": {
    name: "Document inbox",
    description:
      "As documents arrive, reads those that look like suppliers' bills into draft bills with the local chat model, and sends sure ones for approval.",
  },
};

export function AgentsStep(props: StepProps & { chosen: string[]; suggested: string[] }) {
  return (
    <>
      <p>
        Agents run on a schedule inside the box and nudge, draft and file things for people. The ones suggested for your
        industry are ticked; you can change this any time in Settings.
      </p>
      <fieldset>
        <legend>Agents to switch on</legend>
        {(Object.keys(agentDescriptions) as BuiltInAgent[]).map((id) => (
          <label class="choice">
            <input type="checkbox" name="agents" value={id} checked={props.chosen.includes(id)} />
            <span>
              <strong>{agentDescriptions[id].name}</strong>
              {props.suggested.includes(id) ? <mark class="suggested">suggested</mark> : null}
              <br />
              <small>{agentDescriptions[id].description}</small>
            </span>
          </label>
        ))}
        <GroupError name="agents" error={props.errors.agents} />
      </fieldset>
    </>
  );
}
