import type { Context } from "hono";
import type { Broadcast } from "../../models/broadcasts.ts";
import type { BroadcastMessage, BroadcastPageProps, RecipientRow } from "../../views/pages/broadcasts/broadcast.tsx";
import type {
  BroadcastComposeProps,
  BroadcastFormValues,
  BroadcastPreview,
} from "../../views/pages/broadcasts/compose.tsx";
import type { BroadcastsListProps } from "../../views/pages/broadcasts/list.tsx";
import { listRoles } from "../auth/roles/custom-roles.ts";
import { shortTime } from "../console/render.tsx";
import { formCsrf } from "../http/console-forms.ts";
import type { AppEnv } from "../http/env.ts";
import { serviceContext } from "../http/guards.ts";
import { namesOf } from "../members/directory.ts";
import { queryString } from "../tools/query-string.ts";
import { listTeams } from "../work/teams/service.ts";
import { countsOf, recipientsOf } from "./report.ts";
import type { AudienceInput, BroadcastCounts, RecipientEmailStatus } from "./schemas.ts";
import { audienceWords, type listBroadcasts } from "./service.ts";

/** The broadcast pages' props: the compose form, the list, and one broadcast's page. */

/** The form's one audience field (`organization`, `team:<id>`, `role:<role>`) as the API's audience. */
export function audienceOfField(value: string): AudienceInput | { type: string } {
  if (value === "organization") return { type: "organization" };
  const [kind, ...rest] = value.split(":");
  const id = rest.join(":");
  if (kind === "team") return { type: "team", teamId: id };
  if (kind === "role") return { type: "role", role: id };
  return { type: value };
}

/** The compose form: the organisation's teams and roles to choose from. */
export function composeProps(
  c: Context<AppEnv>,
  values: BroadcastFormValues,
  errors: Record<string, string>,
  preview: BroadcastPreview | null,
): BroadcastComposeProps {
  const ctx = serviceContext(c);
  return {
    values,
    errors,
    teams: listTeams(ctx, { limit: 200 }).data.map((team) => ({ value: `team:${team.id}`, label: team.name })),
    roles: listRoles(ctx).map((role) => ({ value: `role:${role.id}`, label: role.name })),
    preview,
    csrf: formCsrf(c),
  };
}

/** A page of past broadcasts with their counts. */
export function listProps(c: Context<AppEnv>, page: ReturnType<typeof listBroadcasts>): BroadcastsListProps {
  const ctx = serviceContext(c);
  const counts = countsOf(
    ctx.db,
    ctx.orgId,
    page.data.map((row) => row.id),
  );
  const names = namesOf(
    ctx.db,
    ctx.orgId,
    page.data.map((row) => row.senderId),
  );
  return {
    rows: page.data.map((row) => {
      const of = counts.get(row.id);
      const email = of?.email;
      return {
        id: row.id,
        subject: row.subject,
        audience: audienceWords(row),
        senderName: (row.senderId && names.get(row.senderId)) || "Someone",
        sentAt: shortTime(row.createdAt),
        delivering: row.status === "sending",
        recipients: of?.recipients ?? 0,
        read: of?.read ?? 0,
        emailed: email ? email.sent + email.queued + email.draft : 0,
        undelivered: email ? email.failed + email.bounced + email.suppressed + email.cancelled : 0,
      };
    }),
    moreHref: page.nextCursor ? `/broadcasts${queryString({ cursor: page.nextCursor })}` : null,
  };
}

/** The message as every page of a broadcast shows it. */
export function messageProps(c: Context<AppEnv>, broadcast: Broadcast, bodyHtml: string): BroadcastMessage {
  const ctx = serviceContext(c);
  const sender = broadcast.senderId ? namesOf(ctx.db, ctx.orgId, [broadcast.senderId]).get(broadcast.senderId) : null;
  return {
    subject: broadcast.subject,
    senderName: sender ?? "Someone",
    audience: audienceWords(broadcast),
    sentAt: shortTime(broadcast.createdAt),
    bodyHtml,
  };
}

const emailLabels: Record<RecipientEmailStatus, string> = {
  queued: "Queued",
  sent: "Sent",
  failed: "Failed",
  bounced: "Bounced",
  suppressed: "Suppressed",
  cancelled: "Cancelled",
  draft: "In the draft log (no e-mail provider)",
  off: "Switched off",
  gone: "Deleted",
};

/** The sender's page: counts at the top, then every recipient. */
export function broadcastPageProps(c: Context<AppEnv>, broadcast: Broadcast, bodyHtml: string): BroadcastPageProps {
  const ctx = serviceContext(c);
  const counts = countsOf(ctx.db, ctx.orgId, [broadcast.id]).get(broadcast.id);
  const recipients: RecipientRow[] = recipientsOf(ctx.db, broadcast).map((row) => ({
    name: row.name,
    email: row.email,
    emailStatus: emailLabels[row.emailStatus],
    emailState: row.emailStatus,
    console: !row.inConsole
      ? "Switched off"
      : row.readAt
        ? `Read ${row.readAt.slice(0, 16).replace("T", " ")}`
        : "Unread",
  }));
  return {
    href: `/broadcasts/${broadcast.id}`,
    message: messageProps(c, broadcast, bodyHtml),
    delivering: broadcast.status === "sending",
    counts: countItems(counts),
    recipients,
  };
}

function countItems(counts: BroadcastCounts | undefined): BroadcastPageProps["counts"] {
  if (!counts) return [];
  const { email } = counts;
  const items = [
    { label: "Recipients", value: counts.recipients },
    { label: "Read in the console", value: counts.read },
    { label: "E-mails sent", value: email.sent },
    { label: "Queued", value: email.queued },
    { label: "Failed", value: email.failed },
    { label: "Bounced", value: email.bounced },
    { label: "Suppressed", value: email.suppressed },
    { label: "E-mail switched off", value: email.off },
    { label: "In the draft log", value: email.draft },
    { label: "Cancelled", value: email.cancelled },
  ];
  // The first four always; the rare ones only when they happened.
  return items.filter((item, index) => index < 4 || item.value > 0);
}
