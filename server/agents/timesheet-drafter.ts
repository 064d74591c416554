import { z } from "zod";
import type { AgentNotice } from "../../models/agents.ts";
import { permissionsOfRole } from "../auth/roles/roles.ts";
import { publishEvent } from "../events/publish.ts";
import { findGithubConnection } from "../github/connections.ts";
import { listMembers } from "../members/directory.ts";
import { organizationTimeZone } from "../organization-time-zone.ts";
import { weekStartOf } from "../tools/days.ts";
import { weekdayName } from "../tools/local-slots.ts";
import { dueSlot } from "../tools/zoned-time.ts";
import { draftFrom } from "../work/time/draft/service.ts";
import type { AgentDefinition, AgentWork } from "./definition.ts";
import { noticeFor, noticesOf, recordNotices } from "./notices.ts";

const AGENT = "timesheet-drafter";
const ORGANIZATION = "organization";

export const timesheetDrafterSettings = z.object({
  weekday: z.coerce.number().int().min(0).max(6).default(5),
  hour: z.coerce.number().int().min(0).max(23).default(15),
});
type Settings = z.output<typeof timesheetDrafterSettings>;

/** One person to remind: how many suggestions the box's own records give, and whether GitHub adds commits. */
type Reminder = { userId: string; name: string; suggestions: number; github: boolean };
type Plan = { preview: string[]; weekStart: string | null; reminders: Reminder[] };

/** The week whose reminders are due now (its Monday), or why none is. */
function dueWeek(work: AgentWork<Settings>): { weekStart: string } | { why: string } {
  const { ctx, settings, now } = work;
  const zone = organizationTimeZone(ctx.db, ctx.orgId);
  const day = dueSlot(now, zone, { weekday: settings.weekday, hour: settings.hour });
  if (!day)
    return {
      why: `not due: reminders go out on ${weekdayName(settings.weekday)} from ${String(settings.hour).padStart(2, "0")}:00 (${zone})`,
    };
  const weekStart = weekStartOf(day);
  const served = noticeFor(noticesOf(ctx.db, ctx.orgId, AGENT), `week:${weekStart}`, ORGANIZATION);
  return served ? { why: `already reminded everyone for the week of ${weekStart}` } : { weekStart };
}

function plan(work: AgentWork<Settings>): Plan {
  const { ctx } = work;
  const due = dueWeek(work);
  if (!("weekStart" in due)) return { preview: [due.why], weekStart: null, reminders: [] };
  const reminders: Reminder[] = [];
  for (const member of listMembers(ctx.db, ctx.orgId)) {
    if (!permissionsOfRole(ctx.db, ctx.orgId, member.role)?.permissions.has("tasks.write")) continue;
    const person = { db: ctx.db, orgId: ctx.orgId, userId: member.id };
    const connection = findGithubConnection(person);
    const github = connection?.status === "connected";
    // Commits need GitHub, which a run does not wait for: the reminder says they will be in the draft.
    const draft = draftFrom(person, due.weekStart, { status: "none", login: null, commits: [] });
    if (draft.locked || (draft.suggestions.length === 0 && !github)) continue;
    reminders.push({ userId: member.id, name: member.name, suggestions: draft.suggestions.length, github });
  }
  const preview = reminders.map((item) => {
    const what = [
      item.suggestions > 0 ? `${item.suggestions} suggestion(s)` : "",
      item.github ? "commits from GitHub" : "",
    ]
      .filter(Boolean)
      .join(" and ");
    return `would remind ${item.name} about the week of ${due.weekStart}: ${what}`;
  });
  if (preview.length === 0) preview.push(`nobody has anything to review for the week of ${due.weekStart}`);
  return { preview, weekStart: due.weekStart, reminders };
}

function apply(work: AgentWork<Settings>, planned: Plan) {
  const { ctx, now } = work;
  const weekStart = planned.weekStart;
  if (!weekStart) return { summary: `Nothing to do (${planned.preview[0] ?? "not due"}).` };
  ctx.db.transaction((tx) => {
    const rows: AgentNotice[] = [];
    for (const item of planned.reminders) {
      // The notifier tells the person (kind timesheet_draft: console and e-mail, as they chose).
      publishEvent(
        tx,
        { orgId: ctx.orgId, userId: null },
        {
          type: "timesheet.draft_ready",
          subjectType: "timesheet",
          subjectId: `draft:${weekStart}:${item.userId}`,
          summary: `Timesheet drafter: ${item.name}'s draft for the week of ${weekStart} is ready`,
          data: { agentId: AGENT, userId: item.userId, weekStart, suggestions: item.suggestions, draft: true },
          audience: [item.userId],
        },
        now,
      );
      rows.push({
        orgId: ctx.orgId,
        agentId: AGENT,
        subjectId: `week:${weekStart}`,
        recipient: item.userId,
        level: "reminded",
        about: weekStart,
        sentAt: now,
      });
    }
    // The week is served once, whoever was reminded: the next hourly run leaves it alone.
    rows.push({
      orgId: ctx.orgId,
      agentId: AGENT,
      subjectId: `week:${weekStart}`,
      recipient: ORGANIZATION,
      level: "served",
      about: weekStart,
      sentAt: now,
    });
    recordNotices(tx, rows);
  });
  work.log(`Reminded ${planned.reminders.length} person(s) for the week of ${weekStart}.`);
  return {
    summary: `Reminded ${planned.reminders.length} person(s) of their timesheet draft for the week of ${weekStart}.`,
    links: [{ label: "Timesheet draft", href: `/time/draft?week=${weekStart}` }],
  };
}

/** Weekly (Friday 15:00 in the organisation's time zone unless changed): tells each person their week's draft is ready. */
export const timesheetDrafterAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Timesheet drafter",
  description:
    "Once a week (Friday from 15:00 in the organisation's time zone unless changed) tells each person whose week has suggested time entries (from the tasks they moved, closed or commented on, and their GitHub commits when connected) that their draft is ready, with a link to review it. It only reads and notifies: nothing is logged until the person adds the suggestions.",
  schedule: {
    cron: "0 * * * *",
    words: "every hour, on the hour (acts once a week, at the organisation's local time)",
  },
  permissions: ["workspace.read"],
  settings: timesheetDrafterSettings,
  fields: [
    { name: "weekday", label: "Day of the week (0 Sunday … 5 Friday … 6 Saturday)", kind: "number" },
    { name: "hour", label: "Hour of the day, in the organisation's time zone (0–23)", kind: "number" },
  ],
  timeoutMs: 5 * 60_000,
  plan,
  apply,
};
