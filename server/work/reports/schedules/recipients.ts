import { resolveMembership } from "../../../auth/roles/roles.ts";
import type { ServiceContext } from "../../../auth/sessions/context.ts";
import type { Db } from "../../../db.ts";
import type { Logger } from "../../../http/logger.ts";
import { FORMER_MEMBER, findMember } from "../../../members/directory.ts";
import type { Keyring } from "../../../tools/secrets.ts";
import type { ReportKind } from "./catalog.ts";

/** A recipient the report goes to, with their own context: the report is read as they would read it. */
export type Recipient = { userId: string; name: string; email: string; ctx: ServiceContext };
/** A chosen person who gets nothing this time, and why. */
export type SkippedRecipient = { userId: string; name: string; reason: string; left: boolean };

export type RecipientDeps = { db: Db; log: Logger; keyring: Keyring };

/**
 * The chosen people as they stand now: members who may see the report on the Reports page get it
 * (read with their own permissions, so a Team Lead's hours by person show their teams only);
 * anyone who left the organisation, was deactivated or lost the permission is skipped.
 */
export function resolveRecipients(
  deps: RecipientDeps,
  orgId: string,
  ids: readonly string[],
  kind: ReportKind,
): { recipients: Recipient[]; skipped: SkippedRecipient[] } {
  const recipients: Recipient[] = [];
  const skipped: SkippedRecipient[] = [];
  for (const userId of new Set(ids)) {
    const member = findMember(deps.db, orgId, userId);
    const membership = member ? resolveMembership(deps.db, userId, orgId) : null;
    if (!member || !membership) {
      skipped.push({ userId, name: FORMER_MEMBER, reason: "no longer a member of the organisation", left: true });
      continue;
    }
    if (!membership.permissions.has(kind.permission)) {
      skipped.push({ userId, name: member.name, reason: `may not see ${kind.label.toLowerCase()}`, left: false });
      continue;
    }
    const ctx: ServiceContext = {
      db: deps.db,
      log: deps.log,
      keyring: deps.keyring,
      orgId,
      userId,
      apiKeyId: null,
      permissions: membership.permissions,
      meta: {},
    };
    recipients.push({ userId, name: member.name, email: member.email, ctx });
  }
  return { recipients, skipped };
}
