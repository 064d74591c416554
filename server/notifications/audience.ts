import type { DomainEvent } from "../../models/events.ts";
import type { Permission } from "../auth/roles/permissions.ts";
import { permissionsOfRole } from "../auth/roles/roles.ts";
import type { Db } from "../db.ts";
import { listMembers, type Member } from "../members/directory.ts";

export type Recipient = Member & { permissions: ReadonlySet<Permission> };

/**
 * The active members of one organisation with what they may do now, read once per batch of
 * events: the notifier asks it who an event may reach.
 */
export class OrganizationAudience {
  readonly #members = new Map<string, Recipient>();

  constructor(db: Db, orgId: string) {
    for (const member of listMembers(db, orgId)) {
      const role = permissionsOfRole(db, orgId, member.role);
      if (role) this.#members.set(member.id, { ...member, permissions: role.permissions });
    }
  }

  find(userId: string): Recipient | null {
    return this.#members.get(userId) ?? null;
  }

  all(): Recipient[] {
    return [...this.#members.values()];
  }

  /**
   * Whether a member may see what the event is about, by the event's own rule (events/types.ts):
   * its permission (none: reading the workspace), or, for approvals and timesheets, being in
   * its audience (a request's requester and approvers, a timesheet's owner see it without the
   * permission that reads everyone's).
   */
  maySee(recipient: Recipient, event: DomainEvent): boolean {
    if (!recipient.permissions.has("workspace.read")) return false;
    const permission = event.permission as Permission | null;
    if (permission === null || recipient.permissions.has(permission)) return true;
    const own = event.subjectType === "approval" || event.subjectType === "timesheet";
    return own && event.audience.includes(recipient.id);
  }
}
