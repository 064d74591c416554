import { z } from "zod";
import type { Queryable } from "../db.ts";
import { choicesOfMany } from "../notifications/preferences.ts";
import { readOrganizationSetting, writeOrganizationSetting } from "../organization-settings.ts";
import { organizationTimeZone } from "../organization-time-zone.ts";
import { endOfLocalDay } from "../tools/local-slots.ts";
import { dueSlot } from "../tools/zoned-time.ts";
import type { AgentDefinition, AgentWork } from "./definition.ts";
import { gatherDigests, latestEventSeq } from "./digest-contents.ts";
import { type Delivery, deliverDigests, digestSummary } from "./digest-delivery.ts";

const DAY = 86_400_000;
const AGENT = "daily-digest";
/** The last local day served in the organisation: `{ day, at, throughSeq }` (it survives restarts). */
export const LAST_DIGEST_KEY = "agents.dailyDigest.lastServed";

export const dailyDigestSettings = z.object({
  hour: z.coerce.number().int().min(0).max(23).default(7),
});
type Settings = z.output<typeof dailyDigestSettings>;

type LastServed = { day: string; at: Date; throughSeq: number };
type Plan = { preview: string[]; day: string | null; deliveries: Delivery[]; skipped: number; throughSeq: number };

const lastServedShape = z.object({
  day: z.string(),
  at: z.iso.datetime().pipe(z.coerce.date()),
  throughSeq: z.number(),
});

function lastServedIn(db: Queryable, orgId: string): LastServed | null {
  const parsed = lastServedShape.safeParse(readOrganizationSetting(db, orgId, LAST_DIGEST_KEY));
  return parsed.success ? parsed.data : null;
}

const at = (hour: number) => `${String(hour).padStart(2, "0")}:00`;

function plan(work: AgentWork<Settings>): Plan {
  const { ctx, settings, now } = work;
  const timeZone = organizationTimeZone(ctx.db, ctx.orgId);
  const day = dueSlot(now, timeZone, { hour: settings.hour });
  const last = lastServedIn(ctx.db, ctx.orgId);
  const nothing = (line: string): Plan => ({ preview: [line], day: null, deliveries: [], skipped: 0, throughSeq: 0 });
  if (!day) return nothing(`not due yet: the digest goes out at ${at(settings.hour)} (${timeZone})`);
  // `>=`: a time zone changed westwards must not serve the same day twice.
  if (last && last.day >= day) return nothing(`today's digest (${day}) went out already`);
  const throughSeq = latestEventSeq(ctx.db, ctx.orgId);
  const digests = gatherDigests(ctx.db, ctx.orgId, {
    now,
    dayEnd: endOfLocalDay(now, timeZone),
    since: last?.at ?? new Date(now.getTime() - DAY),
    afterSeq: last?.throughSeq ?? 0,
  });
  const choices = choicesOfMany(
    ctx.db,
    ctx.orgId,
    digests.map((digest) => digest.person.id),
  );
  const deliveries: Delivery[] = [];
  for (const digest of digests) {
    const channels = choices.get(digest.person.id)?.daily_digest;
    if (channels && (channels.email || channels.console)) deliveries.push({ digest, channels });
  }
  const count = deliveries.length;
  const people = count === 1 ? "1 person" : `${count} people`;
  const preview =
    count === 0
      ? [`would send no digest today (${day}): nobody has anything to be told`]
      : [
          `would send a digest to ${people}:`,
          ...deliveries.slice(0, 50).map(({ digest }) => `${digest.person.name} (${digestSummary(digest)})`),
          ...(count > 50 ? [`… and ${count - 50} more`] : []),
        ];
  const skipped = digests.length - count;
  if (skipped > 0) preview.push(`${skipped} switched the digest off`);
  return { preview, day, deliveries, skipped, throughSeq };
}

function apply(work: AgentWork<Settings>, planned: Plan) {
  const { ctx, now } = work;
  const { day } = planned;
  if (!day) return { summary: `Sent no digest: ${planned.preview[0]}.` };
  const mailed = ctx.db.transaction((tx) => {
    const sent = deliverDigests(tx, ctx, planned.deliveries, { day, baseUrl: work.baseUrl, now });
    // Served even when nobody had anything to be told: the day is done, later runs today do nothing.
    writeOrganizationSetting(
      tx,
      ctx.orgId,
      LAST_DIGEST_KEY,
      { day, at: now.toISOString(), throughSeq: planned.throughSeq },
      now,
    );
    return sent;
  });
  const people = planned.deliveries.length;
  work.log(`Digest of ${day}: ${people} person(s), ${mailed} e-mail(s).`);
  return { summary: `Sent the digest of ${day} to ${people} person(s) (${mailed} by e-mail).` };
}

/** Hourly: at the organisation's digest hour, once a local day, tells each person what needs them today. */
export const dailyDigestAgent: AgentDefinition<Settings, Plan> = {
  id: AGENT,
  name: "Daily digest",
  description:
    "Each morning at the digest hour (07:00 in the organisation's time zone unless changed), e-mails each person their tasks due today and overdue, the approvals waiting on them, their stuck tasks and what others changed on their projects since the last digest. Nobody with nothing to be told gets one; each person switches it off in Account → Choose your notifications. Once a day: a box that was off at the hour sends it when it is back, later that day.",
  schedule: { cron: "0 * * * *", words: "every hour, on the hour (it acts once a day, at the digest hour)" },
  permissions: ["workspace.read"],
  settings: dailyDigestSettings,
  fields: [
    {
      name: "hour",
      label: "Hour of the day it goes out (0–23)",
      kind: "number",
      hint: "In the organisation's time zone (Settings → Organisation).",
    },
  ],
  timeoutMs: 5 * 60_000,
  plan,
  apply,
};
