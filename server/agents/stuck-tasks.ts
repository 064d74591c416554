import { eq } from "drizzle-orm";
import { z } from "zod";
import type { AgentNotice } from "../../models/agents.ts";
import { projects } from "../../models/work.ts";
import { queueMail } from "../mail/outbox.ts";
import { namesOf } from "../members/directory.ts";
import { flagStuckTasks, isStuck, listQuietTasks, type StuckNotice } from "../work/tasks/stuck.ts";
import type { AgentDefinition, AgentWork } from "./definition.ts";
import { noticeFor, noticesOf, recordNotices } from "./notices.ts";

const HOUR = 3_600_000;
const AGENT = "stuck-tasks";
/** `WEB=24, OPS=72`: a project code and its own threshold in hours. */
const overridesPattern = /^\s*([A-Za-z0-9-]+\s*=\s*\d{1,4}\s*)?(,\s*[A-Za-z0-9-]+\s*=\s*\d{1,4}\s*)*$/;

export const stuckTasksSettings = z.object({
  thresholdHours: z.coerce.number().int().min(1).max(2000).default(48),
  projectThresholds: z
    .string()
    .trim()
    .max(2000)
    .regex(overridesPattern, "Write project codes with hours, like WEB=24, OPS=72.")
    .default(""),
  cooldownHours: z.coerce.number().int().min(1).max(2000).default(24),
  alertEmail: z.union([z.literal(""), z.email("Enter an e-mail address, or leave it empty.")]).default(""),
});
type Settings = z.output<typeof stuckTasksSettings>;

type Plan = { preview: string[]; notices: StuckNotice[]; fresh: number; told: number };

/** `WEB=24, OPS=72` as project code (upper case) → hours. */
function parseOverrides(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const part of text.split(",")) {
    const [code, hours] = part.split("=").map((item) => item.trim());
    if (code && hours) map.set(code.toUpperCase(), Number(hours));
  }
  return map;
}

function plan(work: AgentWork<Settings>): Plan {
  const { ctx, settings, now } = work;
  const overrides = parseOverrides(settings.projectThresholds);
  const projectRows = ctx.db
    .select({ id: projects.id, code: projects.code, ownerId: projects.ownerId })
    .from(projects)
    .where(eq(projects.orgId, ctx.orgId))
    .all();
  const byId = new Map(projectRows.map((project) => [project.id, project]));
  const hoursOf = (projectId: string | null) => {
    const code = projectId ? byId.get(projectId)?.code.toUpperCase() : undefined;
    return (code ? overrides.get(code) : undefined) ?? settings.thresholdHours;
  };
  const shortest = Math.min(settings.thresholdHours, ...overrides.values());
  const quiet = listQuietTasks(ctx.db, ctx.orgId, new Date(now.getTime() - shortest * HOUR));
  const told = noticesOf(ctx.db, ctx.orgId, AGENT);
  const cooldownStart = now.getTime() - settings.cooldownHours * HOUR;
  const notices: StuckNotice[] = [];
  for (const task of quiet) {
    const quietMs = now.getTime() - task.lastActivityAt.getTime();
    if (quietMs < hoursOf(task.projectId) * HOUR) continue;
    const about = task.lastActivityAt.toISOString();
    const lead = task.projectId ? (byId.get(task.projectId)?.ownerId ?? null) : null;
    const tell = [...new Set([task.assigneeId, lead])].filter((userId): userId is string => {
      if (!userId) return false;
      const last = noticeFor(told, task.id, userId);
      return !last || last.about !== about || last.sentAt.getTime() <= cooldownStart;
    });
    if (isStuck(task) && tell.length === 0) continue;
    notices.push({ task, reason: `no activity for ${Math.floor(quietMs / HOUR)} h`, tell });
  }
  const fresh = notices.filter((notice) => !isStuck(notice.task)).length;
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    notices.slice(0, 50).flatMap((notice) => notice.tell),
  );
  const preview = notices.slice(0, 50).map((notice) => {
    const verb = isStuck(notice.task) ? "remind" : "flag";
    const whom = notice.tell.map((userId) => names.get(userId) ?? "someone").join(", ");
    return `would ${verb} “${notice.task.title}” (${notice.reason})${whom ? ` and tell ${whom}` : ""}`;
  });
  if (notices.length > 50) preview.push(`… and ${notices.length - 50} more`);
  const toldCount = notices.reduce((sum, notice) => sum + notice.tell.length, 0);
  return { preview, notices, fresh, told: toldCount };
}

function apply(work: AgentWork<Settings>, planned: Plan) {
  const { ctx, settings, now } = work;
  if (planned.notices.length === 0) return { summary: "Found no stuck task." };
  ctx.db.transaction((tx) => {
    flagStuckTasks(tx, ctx, planned.notices, now);
    const rows: AgentNotice[] = planned.notices.flatMap((notice) =>
      notice.tell.map((recipient) => ({
        orgId: ctx.orgId,
        agentId: AGENT,
        subjectId: notice.task.id,
        recipient,
        level: "stuck",
        about: notice.task.lastActivityAt.toISOString(),
        sentAt: now,
      })),
    );
    recordNotices(tx, rows);
    const flagged = planned.notices.filter((notice) => !isStuck(notice.task));
    if (settings.alertEmail && flagged.length > 0) {
      const lines = flagged
        .slice(0, 200)
        .map((notice) => `- ${notice.task.title} (${notice.reason}): ${work.baseUrl}/tasks/${notice.task.id}`);
      queueMail(
        tx,
        ctx.log,
        {
          orgId: ctx.orgId,
          to: settings.alertEmail,
          subject: `${flagged.length} task(s) flagged as stuck`,
          text: `The stuck-task agent flagged these tasks:\n\n${lines.join("\n")}\n`,
          template: "agent_stuck_digest",
        },
        now,
      );
    }
  });
  work.log(`Flagged ${planned.fresh} task(s), told ${planned.told} person(s).`);
  return {
    summary: `Flagged ${planned.fresh} task(s) as stuck; told ${planned.told} person(s).`,
    links: planned.notices
      .slice(0, 10)
      .map((notice) => ({ label: notice.task.title, href: `/tasks/${notice.task.id}` })),
  };
}

/** Hourly: flags open tasks without activity past a threshold and tells their assignee and the project's lead. */
export const stuckTasksAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Stuck-task agent",
  description:
    "Hourly: flags open tasks with no activity for longer than the threshold (48 h unless changed, per project if set) and tells their assignee and the project's owner, again only after the cooldown or new activity; a digest goes to the alert address when set.",
  schedule: { cron: "0 * * * *", words: "every hour, on the hour" },
  permissions: ["workspace.read", "tasks.write"],
  settings: stuckTasksSettings,
  fields: [
    { name: "thresholdHours", label: "Hours without activity before a task is stuck", kind: "number" },
    {
      name: "projectThresholds",
      label: "Per-project thresholds",
      kind: "text",
      hint: "Project codes with their own hours, like WEB=24, OPS=72.",
    },
    { name: "cooldownHours", label: "Hours before telling someone again about the same task", kind: "number" },
    { name: "alertEmail", label: "Alert address for a digest (optional)", kind: "email" },
  ],
  timeoutMs: 5 * 60_000,
  plan,
  apply,
};
