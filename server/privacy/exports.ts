import { recordAudit } from "../audit/service.ts";
import type { ServiceContext } from "../auth/sessions/context.ts";
import { exportPerson } from "./person-export.ts";
import { packBundle } from "./zip.ts";

export type PersonExport = { fileName: string; bytes: Uint8Array };

const README = `Everything this organisation's Opsbox holds about one person, as JSON, with the files they uploaded.

profile.json          the account (no password, second-factor key or other secret) and the role here
memberships.json      organisations and roles
sessions.json         where the account is signed in (no session secrets)
api-keys.json         API keys: name, visible prefix, scopes and times (never the key)
tasks-*.json, comments.json, task-history.json   work the person reported, was given, wrote or changed
time-entries.json, timers.json, timesheets.json  logged time
approvals-*.json      approvals the person asked for or decided
invoices-created.json invoices the person made (number, status and total only)
documents.json, files/   uploads and their bytes
conversations.json    questions to the assistant and its answers
audit-events.json     the audit log's entries by or about the person
events.json           the activity feed's entries the person caused
mail.json             mail the box wrote to the person (subjects only: bodies may hold single-use links)

Other people appear only by their ids.
`;

/**
 * A person's data in the current organisation as a zip, audited as `privacy.exported`. `userId`
 * is the caller (their own export) or a member an admin exports; another organisation's person is 404.
 */
export function exportPersonZip(ctx: ServiceContext, dataDir: string, userId: string, now = new Date()): PersonExport {
  const self = userId === ctx.userId;
  const bundle = exportPerson(ctx.db, { orgId: ctx.orgId, userId, self });
  const bytes = packBundle(dataDir, bundle, README);
  recordAudit(
    ctx.db,
    {
      orgId: ctx.orgId,
      actorUserId: ctx.userId,
      actorApiKeyId: ctx.apiKeyId,
      meta: ctx.meta,
      action: "privacy.exported",
      targetType: "user",
      targetId: userId,
      details: { scope: self ? "self" : "member", files: bundle.files.length },
    },
    now,
  );
  return { fileName: `opsbox-export-${userId}-${now.toISOString().slice(0, 10)}.zip`, bytes };
}
