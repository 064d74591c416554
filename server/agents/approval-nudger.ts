import { z } from "zod";
import type { AgentNotice } from "../../models/agents.ts";
import { type ApprovalRequest, type ApprovalUrgency, approvalUrgencies } from "../../models/approvals.ts";
import { queueMail } from "../mail/outbox.ts";
import { replyAddressFor } from "../mail/reply-address.ts";
import { listMembers, memberIdsWithRole, namesOf } from "../members/directory.ts";
import { currentApproverIdsOfMany } from "../work/approvals/routing.ts";
import { listPendingSteps, markApprovalUrgency } from "../work/approvals/urgency.ts";
import type { AgentDefinition, AgentWork } from "./definition.ts";
import { noticeFor, noticesOf, recordNotices } from "./notices.ts";

const HOUR = 3_600_000;
const AGENT = "approval-nudger";
const hours = (fallback: number) => z.coerce.number().int().min(1).max(5000).default(fallback);

export const approvalNudgerSettings = z
  .object({
    lowHours: hours(24),
    mediumHours: hours(48),
    highHours: hours(72),
    criticalHours: hours(96),
    cooldownHours: hours(24),
  })
  .refine((s) => s.lowHours < s.mediumHours && s.mediumHours < s.highHours && s.highHours < s.criticalHours, {
    message: "Each level must come later than the one before it.",
    path: ["mediumHours"],
  });
type Settings = z.output<typeof approvalNudgerSettings>;

/** One request to remind about: its new urgency and who is e-mailed now. */
type Nudge = { request: ApprovalRequest; urgency: ApprovalUrgency; hours: number; tell: string[]; admins: string[] };
type Plan = { preview: string[]; nudges: Nudge[] };

const rank = (level: string) => approvalUrgencies.indexOf(level as ApprovalUrgency);

function urgencyAfter(settings: Settings, waitedHours: number): ApprovalUrgency | null {
  if (waitedHours >= settings.criticalHours) return "critical";
  if (waitedHours >= settings.highHours) return "high";
  if (waitedHours >= settings.mediumHours) return "medium";
  if (waitedHours >= settings.lowHours) return "low";
  return null;
}

function plan(work: AgentWork<Settings>): Plan {
  const { ctx, settings, now } = work;
  const waiting = listPendingSteps(ctx.db, ctx.orgId);
  const approvers = currentApproverIdsOfMany(
    ctx.db,
    ctx.orgId,
    waiting.map((item) => item.request),
  );
  const told = noticesOf(ctx.db, ctx.orgId, AGENT);
  const cooldownStart = now.getTime() - settings.cooldownHours * HOUR;
  let admins: string[] | null = null;
  const adminIds = () => {
    admins ??= memberIdsWithRole(ctx.db, ctx.orgId, "admin");
    return admins;
  };
  const nudges: Nudge[] = [];
  for (const { request, waitingSince } of waiting) {
    const waited = Math.floor((now.getTime() - waitingSince.getTime()) / HOUR);
    const urgency = urgencyAfter(settings, waited);
    if (!urgency) continue;
    const about = `step ${request.currentStep}`;
    // Told at this level (or above) about this step already, or told anything in the last cooldown: not again.
    const due = (userId: string) => {
      const last = noticeFor(told, request.id, userId);
      if (!last) return true;
      if (last.sentAt.getTime() > cooldownStart) return false;
      return last.about !== about || rank(last.level) < rank(urgency);
    };
    const tell = (approvers.get(request.id) ?? []).filter(due);
    const escalateTo = urgency === "critical" ? adminIds().filter((id) => !tell.includes(id) && due(id)) : [];
    const changed = request.urgency !== urgency || request.urgencyStep !== request.currentStep;
    if (tell.length === 0 && escalateTo.length === 0 && !changed) continue;
    nudges.push({ request, urgency, hours: waited, tell, admins: escalateTo });
  }
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    nudges.flatMap((nudge) => [...nudge.tell, ...nudge.admins]),
  );
  const who = (ids: string[]) => ids.map((id) => names.get(id) ?? "someone").join(", ");
  const preview = nudges.map((nudge) => {
    const approversText = nudge.tell.length > 0 ? ` and e-mail ${who(nudge.tell)}` : "";
    const adminsText = nudge.admins.length > 0 ? `; escalate to ${who(nudge.admins)}` : "";
    return `would mark “${nudge.request.title}” ${nudge.urgency} (waiting ${nudge.hours} h)${approversText}${adminsText}`;
  });
  return { preview, nudges };
}

function mailText(
  nudge: Nudge,
  link: string,
  escalation: boolean,
  replyAdds: boolean,
): { subject: string; text: string } {
  const level = nudge.urgency.toUpperCase();
  const subject = escalation
    ? `[${level}] “${nudge.request.title}” has waited ${nudge.hours} h for approval`
    : `[${level}] “${nudge.request.title}” waits on your approval (${nudge.hours} h)`;
  const why = escalation
    ? "You are told as an admin of the organisation: the request has reached critical urgency."
    : "You are an approver of its current step.";
  return {
    subject,
    text: `The approval request “${nudge.request.title}” has waited ${nudge.hours} hours at its current step. Urgency: ${nudge.urgency}.\n\n${why}\n\nOpen the request: ${link}\n${replyAdds ? "\nReply to this e-mail to add a comment to the request.\n" : ""}`,
  };
}

function apply(work: AgentWork<Settings>, planned: Plan) {
  const { ctx, now } = work;
  if (planned.nudges.length === 0) return { summary: "No approval waits long enough to nudge." };
  let mailed = 0;
  // Active members only: a deactivated approver gets no mail.
  const addresses = new Map(listMembers(ctx.db, ctx.orgId).map((member) => [member.id, member.email]));
  ctx.db.transaction((tx) => {
    const rows: AgentNotice[] = [];
    for (const nudge of planned.nudges) {
      const everyone = [...nudge.tell, ...nudge.admins];
      markApprovalUrgency(tx, ctx, nudge.request, { urgency: nudge.urgency, hours: nudge.hours, told: everyone }, now);
      const link = `${work.baseUrl}/approvals/${encodeURIComponent(nudge.request.id)}`;
      for (const userId of everyone) {
        const to = addresses.get(userId);
        if (!to) continue;
        // Like the approvals' own notifications: a reply from this person becomes their comment on the request.
        const replyTo = replyAddressFor(
          ctx,
          { orgId: ctx.orgId, userId, subject: { kind: "approval", id: nudge.request.id } },
          now,
        );
        const mail = mailText(nudge, link, nudge.admins.includes(userId), replyTo !== null);
        queueMail(
          tx,
          ctx.log,
          { orgId: ctx.orgId, to, ...mail, template: "approval_nudge", ...(replyTo ? { replyTo } : {}) },
          now,
        );
        mailed++;
        rows.push({
          orgId: ctx.orgId,
          agentId: AGENT,
          subjectId: nudge.request.id,
          recipient: userId,
          level: nudge.urgency,
          about: `step ${nudge.request.currentStep}`,
          sentAt: now,
        });
      }
    }
    recordNotices(tx, rows);
  });
  work.log(`Ranked ${planned.nudges.length} request(s), e-mailed ${mailed} time(s).`);
  return {
    summary: `Nudged ${planned.nudges.length} approval request(s); sent ${mailed} e-mail(s).`,
    links: planned.nudges
      .slice(0, 10)
      .map((nudge) => ({ label: nudge.request.title, href: `/approvals/${nudge.request.id}` })),
  };
}

/** Hourly: ranks each waiting approval step low → critical and e-mails its approvers (admins too at critical). */
export const approvalNudgerAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Approval nudger",
  description:
    "Hourly: ranks each waiting approval step by how long it has waited (low 24 h, medium 48 h, high 72 h, critical 96 h unless changed), e-mails its approvers at each new level (at most once a day per request and approver) and, at critical, the organisation's admins too. The urgency shows on the approvals list.",
  schedule: { cron: "0 * * * *", words: "every hour, on the hour" },
  permissions: ["workspace.read"],
  settings: approvalNudgerSettings,
  fields: [
    { name: "lowHours", label: "Hours of waiting before urgency is low", kind: "number" },
    { name: "mediumHours", label: "… medium", kind: "number" },
    { name: "highHours", label: "… high", kind: "number" },
    { name: "criticalHours", label: "… critical (admins are told too)", kind: "number" },
    {
      name: "cooldownHours",
      label: "Hours before e-mailing the same approver about the same request again",
      kind: "number",
    },
  ],
  timeoutMs: 5 * 60_000,
  plan,
  apply,
};
